"""A local OpenAI-compatible server that replays scripted replies (standard library only).

The real langchain-openai/openai client code path runs against it over HTTP on 127.0.0.1:
plain completions, tool calls, SSE streams, HTTP errors, slow replies, garbage and broken
streams. Every request is recorded so tests can assert on what the client sent.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# -- scripted replies -------------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    sse: list[bytes] | None = None
    """Server-sent events, written one by one."""
    broken: bool = False
    """Send the events chunked, then drop the connection without finishing the body."""


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(message: dict[str, Any], usage: tuple[int, int] = (100, 20), finish: str = "stop") -> Reply:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1,
        "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
        "usage": _usage(*usage),
    }
    return Reply(body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def chat(text: str, usage: tuple[int, int] = (100, 20)) -> Reply:
    return completion({"content": text}, usage)


def tool_call(name: str, arguments: dict[str, Any] | str, usage: tuple[int, int] = (100, 20)) -> Reply:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}
    return completion({"content": None, "tool_calls": [call]}, usage, finish="tool_calls")


def review(
    specific: bool = True,
    followup: str | None = None,
    reason: str | None = None,
    extracted: list[dict[str, str]] | None = None,
    usage: tuple[int, int] = (100, 20),
    overrule: str | None = None,
) -> Reply:
    arguments: dict[str, Any] = {
        "specific": specific,
        "followup": followup,
        "reason": reason,
        "extracted": extracted or [],
    }
    if overrule is not None:
        arguments["overrule"] = overrule
    return tool_call("review_answer", arguments, usage)


def _event(delta: dict[str, Any], finish: str | None = None) -> bytes:
    chunk = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "test-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


def stream(pieces: list[str], *, broken: bool = False) -> Reply:
    """Like real servers: a first chunk with the role and empty content, the text, then an
    empty chunk with finish_reason, then [DONE]."""
    events = [_event({"role": "assistant", "content": ""})]
    events += [_event({"content": p}) for p in pieces]
    if not broken:
        events += [_event({}, "stop"), b"data: [DONE]\n\n"]
    return Reply(headers={"Content-Type": "text/event-stream"}, sse=events, broken=broken)


def empty_stream() -> Reply:
    return stream([])


def error(status: int, message: str = "boom", headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps({"error": {"message": message, "type": "server_error", "code": status}}).encode()
    return Reply(status=status, body=body, headers={"Content-Type": "application/json", **(headers or {})})


def slow(seconds: float, then: Reply) -> Reply:
    then.delay = seconds
    return then


# -- the server -------------------------------------------------------------------------------


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def tool(self) -> str | None:
        """Name of the function the request forces (None for plain chat)."""
        choice = self.body.get("tool_choice")
        return choice["function"]["name"] if isinstance(choice, dict) else None

    def content(self, role: str) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] == role and isinstance(m.get("content"), str))


class FakeOpenAI:
    """Replays ``script`` in order; when it runs out, ``responder`` (or a 500) answers."""

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.responder: Callable[[Request], Reply] | None = None
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw or b"{}")
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with server._lock:
                    server.requests.append(request)
                    if server.script:
                        reply = server.script.popleft()
                    elif server.responder is not None:
                        reply = server.responder(request)
                    else:
                        reply = error(500, "unscripted")
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._send(self, reply)  # the client may have given up first (timeout tests)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # A client that gave up (timeout tests) resets the socket: keep it, quietly.
                server.errors.append(traceback.format_exc())

        self.errors: list[str] = []
        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def queue(self, *replies: Reply) -> FakeOpenAI:
        self.script.extend(replies)
        return self

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        handler.send_response(reply.status)
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        if reply.sse is None:
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
            return
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        for event in reply.sse:
            handler.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            handler.wfile.flush()
        if reply.broken:
            handler.wfile.write(b"40\r\npartial")  # a chunk that never ends
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        handler.wfile.write(b"0\r\n\r\n")

    def start(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    """A loopback port nothing listens on (for connection-refused tests and servers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
