"""This module's settings (see `core.config`)."""

from minsheng.core.config import module_settings
from minsheng.education import defaults

setting = module_settings("education", defaults)
