"""This module's settings (see `core.config`)."""

from minsheng.core.config import module_settings
from minsheng.culture import defaults

setting = module_settings("culture", defaults)
