"""Counting the candidate pairs the blocking rules propose, before any is built."""

from __future__ import annotations

import pandas as pd

from .definition import BLOCKS, Block


def _pairs(left: pd.DataFrame, right: pd.DataFrame, block: Block) -> int:
    lk = left[list(block.left)].dropna()
    rk = right[list(block.right)].dropna()
    if lk.empty or rk.empty:
        return 0
    lk.columns = rk.columns = [f"k{i}" for i in range(len(block.left))]
    keys = list(lk.columns)
    lc = lk.value_counts().rename("nl").reset_index()
    rc = rk.value_counts().rename("nr").reset_index()
    both = lc.merge(rc, on=keys)
    total = int((both["nl"].astype("int64") * both["nr"].astype("int64")).sum())
    if block.without_dob:
        # pairs where both sides have a birth date are not proposed by this rule
        dated = _pairs(left[left["dob"].notna()], right[right["dob"].notna()],
                       Block(block.name, block.left, block.right))
        total -= dated
    return total


def candidate_pairs_upper_bound(left: pd.DataFrame, right: pd.DataFrame,
                                blocks: tuple[Block, ...] = BLOCKS) -> int:
    """The sum over blocking rules of the pairs each proposes (a pair proposed by two
    rules counts twice, so this bounds the number scored from above)."""
    return sum(_pairs(left, right, b) for b in blocks)
