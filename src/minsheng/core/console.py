"""The console and progress bar that CLI commands of every module print with (rich).

Domain modules' `commands.py` import these, never `minsheng.cli` (an import-linter
contract keeps it so)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

console = Console()


def progress_bar(description: str) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=console)
