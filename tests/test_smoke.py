"""The package imports, and every command answers --help."""

from kb.cli import cli


def test_every_command_has_help(run):
    for name, command in cli.commands.items():
        result = run(None, name, "--help")
        assert result.exit_code == 0, result.output
        assert command.help, f"kb {name} has no help text"
        assert "Usage: " in result.output
