"""The stance heads: small numpy networks, their temperature, offsets and confidence map."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# --- the network ------------------------------------------------------------------------


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Network:
    """One hidden layer (ReLU), softmax over :data:`MODEL_LABELS`; inputs are a head's
    sparse block as it is and its dense block standardised with the training mean and scale
    (missing values read as the mean)."""

    w_sparse: np.ndarray  # (sparse columns, hidden)
    w_dense: np.ndarray  # (dense columns, hidden)
    b_hidden: np.ndarray  # (hidden,)
    w_out: np.ndarray  # (hidden, 4)
    b_out: np.ndarray  # (4,)
    mean: np.ndarray  # (dense columns,)
    scale: np.ndarray  # (dense columns,)

    def standardise(self, dense: np.ndarray) -> np.ndarray:
        z = (np.asarray(dense, dtype=np.float32) - self.mean) / self.scale
        return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)

    def hidden(self, sparse, dense: np.ndarray) -> np.ndarray:
        h = self.standardise(dense) @ self.w_dense + self.b_hidden
        if sparse is not None and self.w_sparse.size:
            h = h + np.asarray(sparse @ self.w_sparse)
        return np.maximum(h, 0.0)

    def logits(self, sparse, dense: np.ndarray) -> np.ndarray:
        return self.hidden(sparse, dense) @ self.w_out + self.b_out

    ARRAYS = ("w_sparse", "w_dense", "b_hidden", "w_out", "b_out", "mean", "scale")

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {}
        for name in self.ARRAYS:
            value = np.asarray(getattr(self, name), dtype=np.float32)
            # The big input matrices as float16: half the bytes, no measurable change.
            out[prefix + name] = value.astype(np.float16) if name.startswith("w_") else value
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> Network:
        return cls(**{name: np.asarray(arrays[prefix + name], dtype=np.float32)
                      for name in cls.ARRAYS})


class Calibration:
    """Maps a head's top probability to how often that label was right (isotonic, fitted on
    validation pairs by the training code): a piecewise-linear map of plain arrays."""

    def __init__(self, thresholds, values):
        self.x = np.asarray(thresholds, dtype=np.float64)
        self.y = np.asarray(values, dtype=np.float64)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        if not len(self.x):
            return np.asarray(scores, dtype=np.float64)
        return np.interp(scores, self.x, self.y)


@dataclass
class Head:
    #: One or more networks trained with different seeds; their logits are averaged.
    networks: list[Network]
    #: Divides the logits (fitted on validation: the probabilities' own calibration).
    temperature: float = 1.0
    #: Added to the log-probabilities before the decision (chosen on validation: the rare
    #: "disagree" is under-predicted by a network trained on its few examples).
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(4))
    calibration: Calibration = field(default_factory=lambda: Calibration([], []))

    def logits(self, sparse, dense: np.ndarray) -> np.ndarray:
        return np.mean([net.logits(sparse, dense) for net in self.networks], axis=0)

    def probabilities(self, sparse, dense: np.ndarray) -> np.ndarray:
        return softmax(self.logits(sparse, dense) / self.temperature)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return decide(probs, self.offsets)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        prefix = f"{name}/"
        out = {
            prefix + "networks": np.array([len(self.networks)]),
            prefix + "temperature": np.array([self.temperature], dtype=np.float64),
            prefix + "offsets": np.asarray(self.offsets, dtype=np.float64),
            prefix + "calibration_x": self.calibration.x,
            prefix + "calibration_y": self.calibration.y,
        }
        for k, net in enumerate(self.networks):
            out.update(net.arrays(f"{prefix}{k}/"))
        return out

    @classmethod
    def from_arrays(cls, arrays, name: str) -> Head:
        prefix = f"{name}/"
        networks = [Network.from_arrays(arrays, f"{prefix}{k}/")
                    for k in range(int(arrays[prefix + "networks"][0]))]
        return cls(networks, float(arrays[prefix + "temperature"][0]),
                   np.asarray(arrays[prefix + "offsets"], dtype=np.float64),
                   Calibration(arrays[prefix + "calibration_x"], arrays[prefix + "calibration_y"]))


def decide(probs: np.ndarray, offsets=None) -> np.ndarray:
    """Label indices: the largest log-probability plus each class's decision offset."""
    if not len(probs):
        return np.zeros(0, dtype=np.int64)
    scores = np.log(np.maximum(probs, 1e-12))
    if offsets is not None:
        scores = scores + np.asarray(offsets, dtype=np.float64)
    return np.argmax(scores, axis=1)
