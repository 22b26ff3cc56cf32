"""`mockinterview devices`: the microphones PortAudio can record from."""
from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser("devices", help="list the microphones (input devices) for `practice --device N`")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    import json

    from ..errors import DeviceError
    from ..io.mic import list_input_devices

    devices = list_input_devices()
    if args.json:
        print(json.dumps([d.__dict__ for d in devices]))
        return 0
    if not devices:
        raise DeviceError(
            "No microphone found: connect one (or start the sound server), "
            "or record your answer with any app and run `mockinterview analyze FILE`."
        )
    from rich.console import Console
    from rich.table import Table

    table = Table("", "device", "name", "channels", "rate", "host API", title="Input devices", title_justify="left")
    for d in devices:
        table.add_row(
            "*" if d.is_default else "", str(d.index), d.name, str(d.channels),
            f"{d.default_sample_rate:.0f} Hz", d.host_api,
        )
    console = Console(highlight=False)
    console.print(table)
    console.print("* the default. Use one with `mockinterview practice --device N`.", style="dim")
    return 0
