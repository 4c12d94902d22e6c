from tests.directory.fixtures import certificates, directory, samtgemeinde  # noqa: F401
