#include "http/server.h"

#include <chrono>
#include <random>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace fw::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

// Pulls a streaming request body from the connection with synchronous reads; the
// connection has no other operation pending while the handler runs.
class SocketBodyReader final : public BodyReader {
 public:
  SocketBodyReader(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                   bhttp::request_parser<bhttp::buffer_body>& parser)
      : stream_(stream), buffer_(buffer), parser_(parser) {}

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (parser_.is_done()) return 0;
    for (;;) {
      parser_.get().body().data = buf;
      parser_.get().body().size = n;
      beast::error_code ec;
      bhttp::read_some(stream_.socket(), buffer_, parser_, ec);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec == bhttp::error::body_limit) {
        return Fail(ErrorCode::kResourceExhausted, "the request body is over the configured limit",
                    {{"body", "too_large", "over max_import_bytes"}}, "body_too_large");
      }
      if (ec) {
        return InvalidArgument(fmt::format("the request body ended early: {}", ec.message()),
                               {{"body", "truncated", ec.message()}});
      }
      std::size_t got = n - parser_.get().body().size;
      if (got > 0 || parser_.is_done()) return got;
    }
  }

 private:
  beast::tcp_stream& stream_;
  beast::flat_buffer& buffer_;
  bhttp::request_parser<bhttp::buffer_body>& parser_;
};

template <typename Fields>
void FillRequest(const bhttp::request_header<Fields>& h, Request& req) {
  req.method = std::string(h.method_string());
  for (const auto& f : h) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
}

}  // namespace

struct Server::Impl {
  const Router& router;
  Metrics& metrics;
  ServerOptions options;
  net::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;

  Impl(const Router& r, Metrics& m, ServerOptions o)
      : router(r), metrics(m), options(std::move(o)), ioc(options.threads) {}

  net::awaitable<void> AcceptLoop() {
    for (;;) {
      tcp::socket socket = co_await acceptor->async_accept(net::use_awaitable);
      socket.set_option(tcp::no_delay(true));
      net::co_spawn(socket.get_executor(), Session(std::move(socket)), net::detached);
    }
  }

  static void WriteWhole(beast::tcp_stream& stream, Response& res, const std::string& request_id,
                         bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> r{static_cast<bhttp::status>(res.status), 11};
    r.set(bhttp::field::server, "fachwerk");
    r.set("X-Request-Id", request_id);
    if (!res.content_type.empty()) r.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) r.insert(k, v);
    r.body() = std::move(res.body);
    r.keep_alive(keep_alive);
    r.prepare_payload();
    if (head) {
      bhttp::response_serializer<bhttp::string_body> sr{r};
      bhttp::write_header(stream.socket(), sr);
    } else {
      bhttp::write(stream.socket(), r);
    }
  }

  // Sends a streamed body chunked; returns false when the producer failed midway (the
  // connection must then be closed so the client sees a truncated body).
  static bool WriteStreamed(beast::tcp_stream& stream, Response& res, const std::string& request_id) {
    bhttp::response<bhttp::empty_body> r{static_cast<bhttp::status>(res.status), 11};
    r.set(bhttp::field::server, "fachwerk");
    r.set("X-Request-Id", request_id);
    if (!res.content_type.empty()) r.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) r.insert(k, v);
    r.chunked(true);
    r.keep_alive(true);
    bhttp::response_serializer<bhttp::empty_body> sr{r};
    bhttp::write_header(stream.socket(), sr);
    std::string chunk;
    std::string pending;
    for (;;) {
      chunk.clear();
      auto more = res.stream(chunk);
      if (!more) {
        spdlog::error("[{}] streamed response failed: {}", request_id, more.error().message);
        return false;
      }
      pending += chunk;
      if (pending.size() >= 64 * 1024 || (!*more && !pending.empty())) {
        net::write(stream.socket(), bhttp::make_chunk(net::buffer(pending)));
        pending.clear();
      }
      if (!*more) break;
    }
    net::write(stream.socket(), bhttp::make_chunk_last());
    return true;
  }

  net::awaitable<void> Session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    try {
      for (;;) {
        bhttp::request_parser<bhttp::empty_body> header_parser;
        header_parser.header_limit(64 * 1024);
        // The per-route limit is set once the route is known; Beast would otherwise refuse a
        // Content-Length over its 1 MiB default while reading the header.
        header_parser.body_limit(boost::none);
        stream.expires_after(std::chrono::seconds(options.keepalive_seconds));
        co_await bhttp::async_read_header(stream, buffer, header_parser, net::use_awaitable);
        auto start = std::chrono::steady_clock::now();

        Request req;
        req.remote_address = remote;
        FillRequest(header_parser.get().base(), req);
        auto rid = req.Header("x-request-id");
        req.request_id = rid && ValidRequestId(*rid) ? std::string(*rid) : NewRequestId();
        bool keep_alive = header_parser.get().keep_alive();
        bool head = req.method == "HEAD";

        Response res;
        std::string route_name = "unmatched";
        auto target = boost::urls::parse_origin_form(header_parser.get().target());
        const Route* route = nullptr;
        bool mismatch = false;
        if (!target) {
          res = ErrorResponse(Error(ErrorCode::kInvalidArgument, "malformed request target",
                                    {{"target", "invalid", "not an origin-form URL"}}),
                              req.request_id);
          keep_alive = false;
        } else {
          req.path = target->path();
          for (auto p : target->params()) req.query[std::string(p.key)] = std::string(p.value);
          route = router.Match(req.method, req.path, &req.params, &mismatch);
          if (route) route_name = route->pattern;
        }

        auto expect = req.Header("expect");
        if (expect && beast::iequals(*expect, "100-continue") && target) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
          bhttp::write(stream.socket(), cont);
        }

        stream.expires_never();
        bool streaming = target && route && route->streaming_body;
        std::uint64_t limit = static_cast<std::uint64_t>(streaming ? options.max_stream_bytes : options.max_body_bytes);
        auto declared = header_parser.content_length();
        if (target && declared && *declared > limit) {
          // Beast checks a declared length only while parsing the header, so check it here.
          res = ErrorResponse(Error(ErrorCode::kInvalidArgument, "the request body is too large",
                                    {{"body", "too_large", fmt::format("over the limit of {} bytes", limit)}},
                                    "body_too_large"),
                              req.request_id);
          res.status = 413;
          keep_alive = false;
        } else if (streaming) {
          bhttp::request_parser<bhttp::buffer_body> body_parser(std::move(header_parser));
          body_parser.body_limit(limit);
          SocketBodyReader reader(stream, buffer, body_parser);
          req.body_reader = &reader;
          res = router.Dispatch(*route, req);
          if (!body_parser.is_done()) keep_alive = false;
        } else if (target) {
          bhttp::request_parser<bhttp::string_body> body_parser(std::move(header_parser));
          body_parser.body_limit(limit);
          beast::error_code ec;
          stream.expires_after(std::chrono::seconds(options.keepalive_seconds));
          co_await bhttp::async_read(stream, buffer, body_parser,
                                     net::redirect_error(net::use_awaitable, ec));
          stream.expires_never();
          if (ec == bhttp::error::body_limit) {
            res = ErrorResponse(Error(ErrorCode::kInvalidArgument, "the request body is too large",
                                      {{"body", "too_large", "over max_body_bytes"}}, "body_too_large"),
                                req.request_id);
            res.status = 413;
            keep_alive = false;
          } else if (ec) {
            throw boost::system::system_error(ec);
          } else {
            req.body = body_parser.release().body();
            if (route) {
              res = router.Dispatch(*route, req);
            } else {
              res = router.Handle(req);
            }
          }
        }

        if (res.stream && !head) {
          if (!WriteStreamed(stream, res, req.request_id)) break;
        } else {
          WriteWhole(stream, res, req.request_id, keep_alive, head);
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        metrics.ObserveRequest(req.method, route_name, res.status, seconds);
        spdlog::debug("[{}] {} {} -> {} in {:.1f} ms", req.request_id, req.method, req.path, res.status,
                      seconds * 1e3);
        if (!keep_alive) break;
      }
    } catch (const std::exception& e) {
      // Closed connections, timeouts and malformed requests end the session quietly.
      spdlog::trace("connection from {} ended: {}", remote, e.what());
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
};

Server::Server(const Router& router, Metrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, metrics, std::move(options))) {}

Server::~Server() {
  Stop();
  Wait();
}

Result<std::uint16_t> Server::Start() {
  Impl& m = *impl_;
  try {
    auto address = net::ip::make_address(m.options.host);
    tcp::endpoint ep(address, m.options.port);
    m.acceptor.emplace(m.ioc);
    m.acceptor->open(ep.protocol());
    m.acceptor->set_option(net::socket_base::reuse_address(true));
    m.acceptor->bind(ep);
    m.acceptor->listen(net::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}:{}: {}", m.options.host, m.options.port, e.what()));
  }
  std::uint16_t port = m.acceptor->local_endpoint().port();
  m.work.emplace(m.ioc.get_executor());
  net::co_spawn(m.ioc, m.AcceptLoop(), net::detached);
  for (int i = 0; i < m.options.threads; ++i) {
    m.threads.emplace_back([&m] { m.ioc.run(); });
  }
  return port;
}

void Server::Stop() {
  Impl& m = *impl_;
  net::post(m.ioc, [&m] {
    beast::error_code ec;
    if (m.acceptor) m.acceptor->close(ec);
  });
  m.work.reset();
  m.ioc.stop();
}

void Server::Wait() {
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace fw::http
