"""A tiny JSON upstream for the interop test: GET /users/<id> -> {"id": <id>, "plan": "pro", "active": true}."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        user_id = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        body = json.dumps({"id": int(user_id) if user_id.isdigit() else user_id, "plan": "pro", "active": True}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.send_header("x-request-id", "interop-1")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
