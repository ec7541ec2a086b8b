import typer

app = typer.Typer(help="Social assistance", no_args_is_help=True)
