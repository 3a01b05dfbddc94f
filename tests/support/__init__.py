"""What tests (and bench/) share: a real `actorgraph serve` on a free port, the CLI run as a
user would, and a loopback listener that counts the connections a server opens to it."""

from tests.support.listener import Listener
from tests.support.server import ACTORGRAPH, Server, cli, create_key, free_port, served, server_env

__all__ = ["ACTORGRAPH", "Listener", "Server", "cli", "create_key", "free_port", "served", "server_env"]
