"""Early-warning detectors for count series (plain numpy/scipy; no Django).

Series are daily ('D'), weekly ('W') or monthly ('M'; inferred from first- or last-of-month
dates). Public interface:
- ``detect(method, counts, dates, freq=None, **params)`` -> table with columns
  date, count, expected, upper, alarm, reason (a pandas DataFrame);
- ``METHODS``: name -> {"description", "parameters" (defaults), "frequencies" (period ->
  what the method does with it), "parameters_by_frequency"};
- ``run_batch(method, counts_2d, freq, params, start=0)`` -> DetectionResult of
  (series x time) arrays;
- ``csvio.detect_csv`` for files; ``errors.DetectionInputError`` for bad input.
See docs/detection.md.
"""

from .api import detect
from .errors import DetectionInputError
from .registry import METHODS, run_batch
from .result import DetectionResult

__all__ = ["METHODS", "DetectionInputError", "DetectionResult", "detect", "run_batch"]
