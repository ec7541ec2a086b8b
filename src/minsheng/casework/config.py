"""This module's settings (see `core.config`)."""

from minsheng.casework import defaults
from minsheng.core.config import module_settings

setting = module_settings("casework", defaults)
