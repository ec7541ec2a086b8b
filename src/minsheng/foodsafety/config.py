"""This module's settings (see `core.config`)."""

from minsheng.core.config import module_settings
from minsheng.foodsafety import defaults

setting = module_settings("foodsafety", defaults)
