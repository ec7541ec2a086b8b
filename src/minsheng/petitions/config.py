"""This module's settings (see `core.config`)."""

from minsheng.core.config import module_settings
from minsheng.petitions import defaults

setting = module_settings("petitions", defaults)
