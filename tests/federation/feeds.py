"""Another node on loopback, in-process: an HTTP server that answers a mirror's questions with one
page of `directoryChanges` (signed as a node signs it, with this process's directory key, or
tampered with), its route services and its key set. What it sends is prepared up front in the
test's thread (the server's thread does not touch the database)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from directory.federation import feed
from fitstore import signing


def page(edges: list[dict], *, after: str | None = None, tamper: str | None = None) -> dict:
    """The answer to the page of the feed after `after` holding `edges` (the last page)."""
    end = edges[-1]["cursor"] if edges else after
    answer = {"pageInfo": {"hasNextPage": False, "endCursor": end}, "edges": edges,
              "signature": feed.sign_page(after=after, state_code=None, end_cursor=end, has_next=False, edges=edges)}
    if tamper == "unsigned":
        answer["signature"] = None
    elif tamper == "altered":
        answer["edges"] = json.loads(json.dumps(edges).replace("Landratsamt", "Landratsamt (gefälscht)"))
    return answer


def route_services(online_services: list[dict]) -> dict:
    digest = signing.content_sha256(online_services)
    return {"digest": digest, "onlineServices": online_services, "signature": feed.sign_route_services(digest)}


class FeedSource:
    """Serves POST /graphql/ (directoryChanges: the page of `edges`, then an empty one after it;
    directoryRouteServices) and the key set."""

    def __init__(self, request, edges: list[dict], *, tamper: str | None = None, online_services=()):
        end = edges[-1]["cursor"] if edges else None
        pages = {None: page(edges, tamper=tamper), end: page([], after=end)}
        answers = {"directoryChanges": pages, "directoryRouteServices": route_services(list(online_services))}
        key_set = json.dumps(signing.jwks()).encode()
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _send(self, body: bytes):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                field = next(name for name in answers if name in body["query"])
                requests.append(field)
                answer = answers[field]
                if field == "directoryChanges":
                    answer = answer[body["variables"].get("after")]
                self._send(json.dumps({"data": {field: answer}}).encode())

            def do_GET(self):
                requests.append(self.path)
                self._send(key_set)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        request.addfinalizer(server.server_close)
        request.addfinalizer(server.shutdown)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"

    def anchor(self, tmp_path) -> str:
        """The key set as a trust anchor file."""
        path = tmp_path / "anchor.json"
        path.write_text(json.dumps({"keys": signing.jwks()["keys"]}))
        return str(path)
