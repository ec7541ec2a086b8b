"""A caseworker's reading of a probable link: the prior and, per comparison, the level found
and the weight it added (log2 of its Bayes factor, term-frequency adjustment included).

    "prior -17.6; ID one digit wrong, missing or extra +13.9; surname identical +3.6;
     given name identical +8.4; birth date identical +13.4; sex same +1.0;
     address different -3.7"

The labels are the model's level labels (``LinkModel.levels``), stable strings a page can
translate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .definition import COMPARISON_NAMES

LABELS = {"id_number": "ID", "surname": "surname", "given_name": "given name",
          "dob": "birth date", "sex": "sex", "guardian_name": "guardian",
          "address": "address"}


def _signed(values: np.ndarray) -> pd.Series:
    rounded = np.round(values.astype(float), 1) + 0.0  # no "-0.0"
    return pd.Series(np.where(rounded >= 0, "+", "")) + pd.Series(rounded).astype(str)


def explanations(scored: pd.DataFrame, levels: pd.DataFrame, prior_weight: float
                 ) -> pd.Series:
    """One text per scored pair (same index)."""
    if scored.empty:
        return pd.Series([], index=scored.index, dtype="string")
    parts = [pd.Series(f"prior {prior_weight:+.1f}", index=range(len(scored)))]
    for comp in COMPARISON_NAMES:
        if f"gamma_{comp}" not in scored.columns:
            continue
        table = levels[levels["comparison"] == comp].set_index("level")["label"].to_dict()
        gamma = scored[f"gamma_{comp}"].to_numpy()
        weight = scored[f"mw_{comp}"].to_numpy(dtype=float)
        if f"mw_tf_adj_{comp}" in scored.columns:
            weight = weight + scored[f"mw_tf_adj_{comp}"].fillna(0).to_numpy(dtype=float)
        label = pd.Series(gamma).map(table).fillna("missing")
        text = f"{LABELS[comp]} " + label + " " + _signed(weight)
        # a missing value adds nothing: say so without a weight
        text = text.where(gamma != -1, f"{LABELS[comp]} missing")
        parts.append(text)
    out = parts[0]
    for p in parts[1:]:
        out = out + "; " + p
    return pd.Series(out.to_numpy(), index=scored.index, dtype="string")
