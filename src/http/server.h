#pragma once
// The HTTP/1.1 server (Boost.Beast over Asio, one coroutine per connection, on a strand).
//
// Every socket read and write is asynchronous and has a deadline, so a client that stalls
// (sends a header slowly, never sends the body it announced, never reads its responses) costs
// a connection slot and a timer, never a thread: threads are held only while a handler runs.
// Handlers may block on the database, so the io_context is run by `threads` threads. A
// streamed request body (the JSONL import) is received into a spool file before its handler
// runs, after the sender has been authenticated; a streamed response (exports) is produced
// chunk by chunk and each chunk written with a deadline.
//
// Connections are bounded in total and per client address; above either bound a new
// connection is answered 503 and closed. When accept fails for want of descriptors
// (EMFILE/ENFILE) the server sheds that connection with a reserved descriptor, backs off and
// tries again; `Accepting()` reports the condition until an accept succeeds.
//
// Thread safety: Start/Stop/Wait from the owning thread; Accepting/Connections from any
// thread. The router and metrics are borrowed and must outlive the server.

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
  int threads = 32;           // threads running the io_context (and so the handlers)
  std::int64_t max_body_bytes = 64 * 1024 * 1024;
  std::int64_t max_stream_bytes = 4LL * 1024 * 1024 * 1024;
  int keepalive_seconds = 75;  // idle wait for the next request on a kept-alive connection
  int header_seconds = 20;     // to receive a whole request header once it has begun
  int io_seconds = 30;         // longest wait for progress of any body read or response write
  int max_connections = 10000;           // lowered to what the descriptor limit allows
  int max_connections_per_address = 128;
  std::string spool_dir;  // where streamed request bodies are received; empty: the temp dir
};

class Server {
 public:
  Server(const Router& router, Metrics& metrics, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving. Returns the bound port. Errors: kUnavailable (cannot bind or
  // create the spool directory).
  [[nodiscard]] Result<std::uint16_t> Start();
  // Stops accepting and closes the io threads; requests in flight are cut off.
  void Stop();
  // Blocks until Stop() has been called and the threads have ended.
  void Wait();

  // False while accepting new connections fails (out of descriptors); true otherwise.
  bool Accepting() const;
  // Open connections being served (shed ones not counted).
  int Connections() const;
  // The connection bound in force (ServerOptions::max_connections after the descriptor limit).
  int MaxConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fw::http
