"""Just enough of an Elasticsearch node for the backend's requests: the real client
(elasticsearch-py) talks to ``FakeCluster`` through a node class, so the backend's calls —
bulk indexing, delete by query, the alias switch, scans, searches — are exercised without a
server. Used by test_elasticsearch_backend.py and test_search_outage.py."""

import json
from urllib.parse import urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node._base import NodeApiResponse
from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend


class FakeCluster:
    """Just enough of Elasticsearch's REST API for the backend's calls."""

    def __init__(self):
        self.indices: dict[str, dict] = {}  # name → {id: source}
        self.aliases: dict[str, set[str]] = {}
        self.requests: list[tuple[str, str, object]] = []
        self.requests_by_host: list[str] = []  # the node each request was sent to
        self.search_response: dict = {}
        self.fail_bulk = False

    def resolve(self, name):
        return sorted(self.aliases.get(name, {name} if name in self.indices else set()))

    def handle(self, method, path, body, params=""):
        self.requests.append((method, path, body))
        parts = [p for p in path.split("/") if p]
        if parts[-1] == "scroll":  # the next page of a scan: there is none
            shards = {"total": 1, "successful": 1, "skipped": 0}
            return 200, {"_scroll_id": "s", "hits": {"hits": []}, "_shards": shards}
        if parts[-1] == "_search" and "scroll=" in params:
            docs = [d for name in self.resolve(parts[0]) for d in self.indices[name].values()]
            hits = [{"_source": {k: d[k] for k in body["_source"]}} for d in docs]
            shards = {"total": 1, "successful": 1, "skipped": 0}
            return 200, {"_scroll_id": "s", "hits": {"hits": hits}, "_shards": shards}
        if parts[-1] == "_delete_by_query":
            source = body["query"].get("term", {}).get("source")
            for name in self.resolve(parts[0]):
                docs = self.indices[name]
                for key in [k for k, d in docs.items() if source in (None, d["source"])]:
                    del docs[key]
            return 200, {"deleted": 1}
        if parts == ["_aliases"]:
            for action in body["actions"]:
                (op, spec), = action.items()  # fmt: skip
                if op == "add":
                    self.aliases.setdefault(spec["alias"], set()).add(spec["index"])
                elif op == "remove":
                    self.aliases[spec["alias"]].discard(spec["index"])
                else:
                    del self.indices[spec["index"]]
            return 200, {"acknowledged": True}
        if parts[0] == "_alias":
            found = {i: {"aliases": {parts[1]: {}}} for i in self.aliases.get(parts[1], ())}
            return (200, found) if found else (404, {"error": "alias missing", "status": 404})
        if parts[-1] == "_bulk":
            items = []
            for header, source in zip(body[::2], body[1::2], strict=True):
                meta = header["index"]
                for name in self.resolve(meta["_index"]):
                    self.indices[name][meta["_id"]] = source
                items.append(
                    {"index": {"_id": meta["_id"], "status": 500 if self.fail_bulk else 201}}
                )
            return 200, {"errors": self.fail_bulk, "items": items}
        if parts[-1] == "_search":
            return 200, self.search_response
        if parts[-1] == "_refresh":
            return 200, {}
        if method == "HEAD":
            exists = parts[0] in self.indices if len(parts) == 1 else parts[1] in self.aliases
            return (200 if exists else 404), None
        if method == "PUT":
            self.indices[parts[0]] = {}
            for alias in (body or {}).get("aliases", {}):
                self.aliases.setdefault(alias, set()).add(parts[0])
            return 200, {"acknowledged": True}
        if method == "DELETE":
            for name in parts[0].split(","):
                self.indices.pop(name, None)
                for members in self.aliases.values():
                    members.discard(name)
            return 200, {"acknowledged": True}
        return 400, {"error": f"unexpected {method} {path}", "status": 400}


def fake_node(cluster: FakeCluster, down: frozenset[str] = frozenset()) -> type[BaseNode]:
    """A node class answering from ``cluster``; nodes whose host is in ``down`` refuse the
    connection, as a stopped node of a cluster does."""

    class Node(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            cluster.requests_by_host.append(self.config.host)
            if self.config.host in down:
                raise TransportConnectionError("connection refused")
            text = (body or b"").decode()
            if "_bulk" in target:
                data = [json.loads(line) for line in text.splitlines() if line]
            else:
                data = json.loads(text) if text else None
            url = urlsplit(target)
            status, answer = cluster.handle(method, url.path, data, url.query)
            payload = b"" if answer is None else json.dumps(answer).encode()
            headers = HttpHeaders(
                {"X-Elastic-Product": "Elasticsearch", "Content-Type": "application/json"}
            )
            meta = ApiResponseMeta(status, "1.1", headers, 0.0, self.config)
            return NodeApiResponse(meta, payload)

    return Node


def fake_backend(cluster: FakeCluster, index="zhidu-test") -> ElasticsearchBackend:
    client = Elasticsearch("http://es.invalid:9200", node_class=fake_node(cluster))
    return ElasticsearchBackend("http://es.invalid:9200", index=index, client=client)
