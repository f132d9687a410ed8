package pyto.daemon;

import java.util.Optional;

/**
 * The daemon's HTTP face: every request passes the {@link RequestGuard} first (host, origin,
 * password, session id, method, in that order), then goes to the remote control
 * ({@code /transmission/rpc}, {@link Rpc}) or to the web page's files ({@link StaticFiles}).
 * Connection threads call it at once; its parts are thread-safe.
 */
final class RpcHandler implements HttpServer.Handler {

    private final RequestGuard guard;
    private final Rpc rpc;
    private final StaticFiles files;

    RpcHandler(RequestGuard guard, Rpc rpc, StaticFiles files) {
        this.guard = guard;
        this.rpc = rpc;
        this.files = files;
    }

    @Override
    public Optional<HttpResponse> early(HttpRequest head) {
        Optional<HttpResponse> refused = guard.check(head);
        if (refused.isPresent()) {
            return refused;
        }
        if (!RequestGuard.isRpc(head.path()) && !files.exists(head.path())) {
            return Optional.of(HttpResponse.text(404, "no such page"));
        }
        return Optional.empty();
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (RequestGuard.isRpc(request.path())) {
            return HttpResponse.json(rpc.call(request.body()));
        }
        return files.get(request.path()).orElse(HttpResponse.text(404, "no such page"));
    }
}
