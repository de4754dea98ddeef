package com.onepoint.engine.conformance;

import com.onepoint.engine.DynamoEngine;
import com.onepoint.engine.http.EngineServer;

/**
 * The engine under test: {@code DynamoEngine.inMemory()} behind {@code EngineServer.start(engine, "127.0.0.1", 0)}.
 * Every reset closes both and starts a fresh pair, so each scenario starts from an empty engine.
 */
final class EnginePeer extends Peer {
    private DynamoEngine engine;
    private EngineServer server;

    EnginePeer() {
        super("engine");
        open();
    }

    private void open() {
        engine = DynamoEngine.inMemory();
        server = EngineServer.start(engine, "127.0.0.1", 0);
    }

    @Override
    int port() {
        return server.port();
    }

    @Override
    void reset() {
        close();
        open();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            try {
                if (engine != null) {
                    engine.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing the engine", e);
            } finally {
                engine = null;
            }
        }
    }
}
