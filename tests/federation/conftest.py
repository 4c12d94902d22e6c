"""Live nodes for the two-node tests: the reference data is loaded once into a template database
for the whole package (`federation`), each module starts the nodes it needs from copies of it."""
import pytest

from .nodes import Databases, Node, base_env


class Federation:
    """The template database, the environment of the nodes and the nodes started from it."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.env = base_env(tmp)
        self.databases = Databases(tmp)
        self.started: list[Node] = []
        self.databases.template(self.env)

    def node(self, name: str) -> Node:
        node = Node(name, self.databases.copy(name), self.env)
        self.started.append(node)
        return node

    def stop(self, *nodes: Node) -> None:
        for node in nodes or list(self.started):
            node.stop()


@pytest.fixture(scope="package")
def federation(tmp_path_factory):
    made = None
    try:
        made = Federation(tmp_path_factory.mktemp("federation"))
        yield made
    finally:
        if made is not None:
            made.stop()
            if made.databases.postgres:
                made.databases.drop()
