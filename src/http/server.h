#pragma once
// The HTTP/1.1 server (Boost.Beast over Asio, one coroutine per connection). Reading a
// request is asynchronous; the handler then runs on the io thread and may block on the
// database, so the io_context is run by `threads` threads. Request bodies are read whole up
// to `max_body_bytes`, except for routes marked streaming_body, which pull their body
// through a BodyReader up to `max_stream_bytes`. Streamed responses are sent chunked.
//
// Thread safety: Start/Stop/Wait from the owning thread. The router and metrics are
// borrowed and must outlive the server.

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.h"
#include "http/metrics.h"
#include "http/router.h"

namespace fw::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int threads = 32;
  std::int64_t max_body_bytes = 64 * 1024 * 1024;
  std::int64_t max_stream_bytes = 4LL * 1024 * 1024 * 1024;
  int keepalive_seconds = 75;
};

class Server {
 public:
  Server(const Router& router, Metrics& metrics, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving. Returns the bound port. Errors: kUnavailable (cannot bind).
  [[nodiscard]] Result<std::uint16_t> Start();
  // Stops accepting and closes the io threads; requests in flight are cut off.
  void Stop();
  // Blocks until Stop() has been called and the io threads have ended.
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fw::http
