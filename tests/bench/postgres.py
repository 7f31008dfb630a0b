"""The PostgreSQL server the benchmarks and the load test make their throw-away databases on."""

from urllib.parse import urlparse


def admin_connection(server_url: str):
    """An autocommit connection to the server's ``postgres`` database (CREATE/DROP DATABASE
    cannot run in a transaction); psycopg's error when the server does not answer in 5 s."""
    import psycopg

    url = urlparse(server_url)
    return psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )
