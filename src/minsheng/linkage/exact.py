"""The exact stage: records whose IDs are the same well-formed, check-digit-valid number.

Keys are the int64 value of the 17 body digits (the check character follows from them),
joined by a hash join in pandas -- vectorised, no loop per record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def exact_pairs(left_valid: np.ndarray, left_key: np.ndarray, right_valid: np.ndarray,
                right_key: np.ndarray) -> pd.DataFrame:
    """Row positions (left, right) of every pair with equal valid keys. A number held by
    several records on one side (a duplicate in a registry) links to each of them."""
    lpos = np.nonzero(left_valid)[0]
    rpos = np.nonzero(right_valid)[0]
    left = pd.DataFrame({"key": left_key[lpos], "left": lpos})
    right = pd.DataFrame({"key": right_key[rpos], "right": rpos})
    pairs = left.merge(right, on="key", how="inner", sort=False)[["left", "right"]]
    return pairs.sort_values(["left", "right"], kind="stable").reset_index(drop=True)
