from django.urls import path

from claims.exports import views

app_name = "exports"

urlpatterns = [
    path("claims/<int:claim_id>/report/", views.claim_report_page, name="claim_report"),
    path("claims/<int:claim_id>/report.pdf", views.claim_report_pdf, name="claim_report_pdf"),
    path("exports/claims.csv", views.export_claims_csv, name="claims_csv"),
    path("exports/claims.json", views.export_claims_json, name="claims_json"),
]
