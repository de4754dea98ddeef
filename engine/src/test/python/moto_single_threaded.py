"""Serve moto's whole WSGI app (as `moto_server` builds it) on one thread, one process.

The stock `moto_server` is threaded: concurrent requests interleave inside moto's backends. The conformance test
(com.onepoint.engine.conformance.MotoConformanceTest) replays requests strictly one after another and wants each
one handled alone, so this launcher serves the same DomainDispatcherApplication with threaded=False, processes=1.

Usage: python3 moto_single_threaded.py [--host 127.0.0.1] [--port 0]
Port 0 picks a free port. Once the socket is bound it prints one line `MOTO_PORT=<port>` on stdout (flushed), then
serves until killed (SIGTERM/SIGINT exit 0).
"""
import argparse
import os
import signal
import sys


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=0)
    args = parser.parse_args(argv)

    try:
        import moto  # noqa: F401
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server
    except ImportError as e:  # the Java side turns this exit code into a clear failure
        print(f"moto import failed: {e}; install it with: pip install 'moto[server]==5.2.1'", file=sys.stderr)
        sys.exit(3)

    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    # make_server is what werkzeug's run_simple(host, port, app, threaded=False, processes=1) builds (without the
    # reloader); calling it directly lets port 0 bind first and report the port it got, with no race.
    server = make_server(args.host, args.port, app, threaded=False, processes=1)
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs from it, as moto_server does
    print(f"MOTO_PORT={port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
