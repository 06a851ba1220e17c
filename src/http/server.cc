#include "http/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

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
using std::chrono::seconds;

namespace {

// What every response carries besides its own headers. The policy lets the web app load its
// own scripts, styles and fonts and nothing inline but style attributes (KaTeX sets them),
// show images from http(s) URLs, and never be framed.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: http:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Request bodies up to this size are read before the sender is authenticated, so a refused
// request keeps its connection; larger or chunked ones only after, and a refusal closes.
constexpr std::uint64_t kReadBeforeAdmitBytes = 64 * 1024;

constexpr std::size_t kSpoolChunk = 64 * 1024;
constexpr std::size_t kStreamChunk = 64 * 1024;

// The answer to a connection over a bound, written without reading the request.
constexpr std::string_view kShedResponse =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Server: fachwerk\r\n"
    "Content-Type: application/json\r\n"
    "Retry-After: 1\r\n"
    "Connection: close\r\n"
    "Content-Length: 111\r\n"
    "\r\n"
    R"({"error":{"code":"unavailable","message":"the server is at its connection limit; retry","reason":"overloaded"}})";
static_assert(kShedResponse.size() - kShedResponse.find("\r\n\r\n") - 4 == 111);

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

template <typename Fields>
void FillRequest(const bhttp::request_header<Fields>& h, Request& req) {
  req.method = std::string(h.method_string());
  for (const auto& f : h) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
}

// Whether `ec` says the peer sent something that is not HTTP (as opposed to going away).
bool IsMalformedRequest(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

bool IsOutOfDescriptors(const beast::error_code& ec) {
  return ec == boost::system::errc::too_many_files_open ||
         ec == boost::system::errc::too_many_files_open_in_system ||
         ec == boost::system::errc::no_buffer_space || ec == boost::system::errc::not_enough_memory;
}

Response Refusal(ErrorCode code, std::string message, std::string field, std::string field_code,
                 std::string reason, const std::string& request_id, int status = 0) {
  std::string detail = message;
  Response r = ErrorResponse(Error(code, std::move(message), {{std::move(field), std::move(field_code), std::move(detail)}},
                                   std::move(reason)),
                             request_id);
  if (status != 0) r.status = status;
  return r;
}

Response TooLarge(std::uint64_t limit, const std::string& request_id) {
  Response r = ErrorResponse(Error(ErrorCode::kInvalidArgument, "the request body is too large",
                                   {{"body", "too_large", fmt::format("over the limit of {} bytes", limit)}},
                                   "body_too_large"),
                             request_id);
  r.status = 413;
  return r;
}

// Connections in total and per client address, with their bounds. Thread safety: any thread.
class ConnectionTable {
 public:
  void SetBounds(int max_total, int max_per_address) {
    std::lock_guard lock(mu_);
    max_total_ = max_total;
    max_per_address_ = max_per_address;
  }
  // Counts a connection from `address`; false (and nothing counted) when a bound is reached.
  bool TryAdd(const std::string& address) {
    std::lock_guard lock(mu_);
    if (total_ >= max_total_) return false;
    int& n = per_address_[address];
    if (n >= max_per_address_) {
      if (n == 0) per_address_.erase(address);
      return false;
    }
    ++n;
    ++total_;
    return true;
  }
  void Remove(const std::string& address) {
    std::lock_guard lock(mu_);
    auto it = per_address_.find(address);
    FW_CHECK(it != per_address_.end() && it->second > 0);
    if (--it->second == 0) per_address_.erase(it);
    --total_;
  }
  int total() const {
    std::lock_guard lock(mu_);
    return total_;
  }
  int max_total() const {
    std::lock_guard lock(mu_);
    return max_total_;
  }

 private:
  mutable std::mutex mu_;
  int max_total_ = 0;
  int max_per_address_ = 0;
  int total_ = 0;
  std::unordered_map<std::string, int> per_address_;
};

// Releases a connection's place in the table when the session ends, however it ends.
class ConnectionSlot {
 public:
  ConnectionSlot(ConnectionTable& table, std::string address) : table_(table), address_(std::move(address)) {}
  ~ConnectionSlot() { table_.Remove(address_); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  ConnectionTable& table_;
  std::string address_;
};

// A streamed request body, received whole into an unlinked spool file before the handler
// runs; the file vanishes when closed.
class SpoolFile {
 public:
  SpoolFile() = default;
  ~SpoolFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Errors: kUnavailable (the spool directory is not writable).
  Status Open(const std::string& dir) {
    std::string path = (std::filesystem::path(dir) / "upload-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    if (fd < 0) return Fail(ErrorCode::kUnavailable, "the server cannot receive an upload now");
    ::unlink(path.c_str());
    file_ = ::fdopen(fd, "w+b");
    if (file_ == nullptr) {
      ::close(fd);
      return Fail(ErrorCode::kUnavailable, "the server cannot receive an upload now");
    }
    return {};
  }
  bool Append(const char* data, std::size_t n) { return std::fwrite(data, 1, n, file_) == n; }
  bool Rewind() { return std::fflush(file_) == 0 && std::fseek(file_, 0, SEEK_SET) == 0; }
  std::FILE* file() const { return file_; }

 private:
  std::FILE* file_ = nullptr;
};

class SpoolBodyReader final : public BodyReader {
 public:
  explicit SpoolBodyReader(std::FILE* file) : file_(file) {}
  Result<std::size_t> Read(char* buf, std::size_t n) override {
    std::size_t got = std::fread(buf, 1, n, file_);
    if (got == 0 && std::ferror(file_)) return Internal("cannot read the spooled request body");
    return got;
  }

 private:
  std::FILE* file_;  // owned by the SpoolFile of the request
};

// What became of reading a request body.
enum class BodyOutcome {
  kComplete,  // the body is in hand
  kRefused,   // a response explains why not; close after sending it
  kGone,      // the peer went away or stalled past its deadline; nothing can be sent
};

// Descriptors this process has open now.
int OpenDescriptors() {
  std::error_code ec;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

// Raises the soft descriptor limit to the hard one and returns the soft limit in force.
long DescriptorLimit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1L << 30)) return 1L << 30;
  return static_cast<long>(rl.rlim_cur);
}

}  // namespace

struct Server::Impl {
  const Router& router;
  Metrics& metrics;
  ServerOptions options;
  // Declared before the io_context: destroying it destroys suspended sessions, whose slots
  // then leave this table.
  ConnectionTable connections;
  std::atomic<bool> accepting{true};
  std::atomic<long long> shed_total{0};
  std::atomic<long long> accept_failures_total{0};
  std::atomic<long long> timeouts_total{0};
  std::atomic<long long> malformed_total{0};
  net::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  int reserve_fd = -1;  // kept open to shed a connection when descriptors run out

  Impl(const Router& r, Metrics& m, ServerOptions o)
      : router(r),
        metrics(m),
        options(std::move(o)),
        ioc(std::max(1, options.threads)) {}

  ~Impl() {
    if (reserve_fd >= 0) ::close(reserve_fd);
  }

  // ---- accepting

  net::awaitable<void> AcceptLoop() {
    auto ex = co_await net::this_coro::executor;
    net::steady_timer backoff_timer(ex);
    auto backoff = std::chrono::milliseconds(10);
    for (;;) {
      beast::error_code ec;
      // Each connection lives on a strand: its coroutine and its stream's deadline timer run on
      // the io threads, one at a time.
      tcp::socket socket = co_await acceptor->async_accept(net::any_io_executor(net::make_strand(ioc)),
                                                           net::redirect_error(net::use_awaitable, ec));
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor->is_open()) co_return;
        ++accept_failures_total;
        if (IsOutOfDescriptors(ec)) {
          if (accepting.exchange(false)) {
            spdlog::error("cannot accept connections: {}; shedding and retrying", ec.message());
          }
          ShedWithReserve();
          backoff_timer.expires_after(backoff);
          co_await backoff_timer.async_wait(net::redirect_error(net::use_awaitable, ec));
          backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
        }
        continue;
      }
      if (!accepting.exchange(true)) spdlog::info("accepting connections again");
      backoff = std::chrono::milliseconds(10);
      std::string remote;
      {
        beast::error_code rec;
        auto ep = socket.remote_endpoint(rec);
        if (rec) continue;  // already gone
        remote = ep.address().to_string();
      }
      if (!connections.TryAdd(remote)) {
        ++shed_total;
        auto strand = socket.get_executor();
        net::co_spawn(strand, Shed(std::move(socket)), net::detached);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto strand = socket.get_executor();
      net::co_spawn(strand, Session(std::move(socket), std::move(remote)), net::detached);
    }
  }

  // Answers a connection over a bound with 503 and closes it, giving the peer two seconds to
  // read the answer.
  net::awaitable<void> Shed(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::error_code ec;
    stream.expires_after(seconds(2));
    co_await net::async_write(stream, net::buffer(kShedResponse.data(), kShedResponse.size()),
                              net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    char sink[4096];
    for (;;) {  // drain until the peer closes, so closing sends no reset over the answer
      stream.expires_after(seconds(2));
      co_await stream.async_read_some(net::buffer(sink), net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return;
    }
  }

  // Out of descriptors: frees the reserved one, accepts the waiting connection, answers it
  // 503 and closes it, then reserves again; otherwise the backlog would never move.
  void ShedWithReserve() {
    if (reserve_fd < 0) return;
    ::close(reserve_fd);
    reserve_fd = -1;
    pollfd p{acceptor->native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 0) == 1) {
      int fd = ::accept4(acceptor->native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        ++shed_total;
        [[maybe_unused]] auto sent = ::send(fd, kShedResponse.data(), kShedResponse.size(), MSG_NOSIGNAL);
        ::shutdown(fd, SHUT_WR);
        ::close(fd);
      }
    }
    reserve_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }

  // ---- one connection

  net::awaitable<void> Session(tcp::socket socket, std::string remote) {
    ConnectionSlot slot(connections, remote);
    beast::error_code nb;
    socket.non_blocking(true, nb);  // writes are tried at once, then awaited (WriteWhole)
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bool first = true;
    try {
      for (;;) {
        bool keep_going = co_await ServeOne(stream, buffer, remote, first);
        if (!keep_going) break;
        first = false;
      }
    } catch (const std::exception& e) {
      // Timeouts and closed connections end the session quietly.
      spdlog::trace("connection from {} ended: {}", remote, e.what());
    }
    co_await LingeringClose(stream);
  }

  // Half-closes and reads what the peer still sends (a body that was refused unread), for at
  // most a second and 1 MiB, so closing does not reset the connection over the last answer.
  net::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    std::vector<char> sink(16 * 1024);
    std::size_t drained = 0;
    stream.expires_after(seconds(1));
    while (drained < 1024 * 1024) {
      std::size_t n = co_await stream.async_read_some(net::buffer(sink), net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
      drained += n;
    }
  }

  // Waits for the next request's header. False when the connection should end; a malformed
  // request has then been answered 400 (431 for an oversized header).
  net::awaitable<bool> ReadHeader(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                  bhttp::request_parser<bhttp::empty_body>& parser, bool first) {
    beast::error_code ec;
    // A kept-alive connection may idle for keepalive_seconds before and while sending its next
    // header; a new one has header_seconds for its first.
    stream.expires_after(seconds(first ? options.header_seconds : options.keepalive_seconds));
    co_await bhttp::async_read_header(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    if (!ec) co_return true;
    if (ec == beast::error::timeout) ++timeouts_total;
    if (IsMalformedRequest(ec)) {
      ++malformed_total;
      bool too_big = ec == bhttp::error::header_limit;
      Response res = Refusal(ErrorCode::kInvalidArgument,
                             too_big ? "the request header is too large" : "malformed HTTP request",
                             "request", too_big ? "too_large" : "malformed",
                             too_big ? "header_too_large" : "malformed_request", NewRequestId(),
                             too_big ? 431 : 400);
      co_await WriteWhole(stream, res, "", false, false);
    }
    co_return false;
  }

  // Serves one request. False when the connection should end.
  net::awaitable<bool> ServeOne(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                const std::string& remote, bool first) {
    bhttp::request_parser<bhttp::empty_body> parser;
    parser.header_limit(64 * 1024);
    // The per-route limit is checked once the route is known; Beast would otherwise refuse a
    // Content-Length over its 1 MiB default while reading the header.
    parser.body_limit(boost::none);
    if (!co_await ReadHeader(stream, buffer, parser, first)) co_return false;
    auto start = std::chrono::steady_clock::now();

    Request req;
    req.remote_address = remote;
    FillRequest(parser.get().base(), req);
    auto rid = req.Header("x-request-id");
    req.request_id = rid && ValidRequestId(*rid) ? std::string(*rid) : NewRequestId();
    bool keep_alive = parser.get().keep_alive();
    const bool head = req.method == "HEAD";

    Response res;
    std::string route_name = "unmatched";
    auto target = boost::urls::parse_origin_form(parser.get().target());
    const Route* route = nullptr;
    bool mismatch = false;
    if (target) {
      req.path = target->path();
      for (auto p : target->params()) req.query[std::string(p.key)] = std::string(p.value);
      route = router.Match(req.method, req.path, &req.params, &mismatch);
      if (route) route_name = route->pattern;
    }

    if (!target) {
      res = Refusal(ErrorCode::kInvalidArgument, "malformed request target", "target", "invalid",
                    "malformed_request", req.request_id);
      keep_alive = false;
    } else if (!route) {
      res = router.Handle(req);  // 404 or 405, without touching the body
      if (!parser.is_done()) keep_alive = false;
    } else {
      auto outcome = co_await ServeRoute(stream, buffer, parser, *route, req, res);
      if (outcome == BodyOutcome::kGone) co_return false;
      if (outcome == BodyOutcome::kRefused) keep_alive = false;
    }

    if (res.stream && !head) {
      if (!co_await WriteStreamed(stream, res, req.request_id, keep_alive)) co_return false;
    } else {
      co_await WriteWhole(stream, res, req.request_id, keep_alive, head);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics.ObserveRequest(req.method, route_name, res.status, secs);
    spdlog::debug("[{}] {} {} -> {} in {:.1f} ms", req.request_id, req.method, req.path, res.status, secs * 1e3);
    co_return keep_alive;
  }

  // Admits, receives the body and runs the handler of a matched route into `res`. kRefused
  // when the connection must close after `res` (an unread or refused body).
  net::awaitable<BodyOutcome> ServeRoute(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                         bhttp::request_parser<bhttp::empty_body>& parser, const Route& route,
                                         Request& req, Response& res) {
    const bool streaming = route.streaming_body;
    std::int64_t limit_bytes = streaming ? options.max_stream_bytes : options.max_body_bytes;
    if (streaming && route.max_body_bytes > 0) limit_bytes = std::min(limit_bytes, route.max_body_bytes);
    const std::uint64_t limit = static_cast<std::uint64_t>(limit_bytes);
    auto declared = parser.content_length();
    const bool has_body = !parser.is_done();
    if (declared && *declared > limit) {
      // Refused before any 100 Continue, so a well-behaved client never sends the body.
      res = TooLarge(limit, req.request_id);
      co_return BodyOutcome::kRefused;
    }
    bool admitted = false;
    if (streaming || (has_body && (!declared || *declared > kReadBeforeAdmitBytes))) {
      auto refused = router.Admit(route, req);
      if (refused) {
        res = std::move(*refused);
        co_return has_body ? BodyOutcome::kRefused : BodyOutcome::kComplete;
      }
      admitted = true;
    }
    if (has_body) {
      auto expect = req.Header("expect");
      if (expect && beast::iequals(*expect, "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
        stream.expires_after(seconds(options.io_seconds));
        beast::error_code ec;
        co_await bhttp::async_write(stream, cont, net::redirect_error(net::use_awaitable, ec));
        if (ec) co_return BodyOutcome::kGone;
      }
    }
    if (streaming) {
      SpoolFile spool;
      auto outcome = co_await ReceiveToSpool(stream, buffer, parser, limit, spool, req.request_id, res);
      if (outcome != BodyOutcome::kComplete) co_return outcome;
      SpoolBodyReader reader(spool.file());
      req.body_reader = &reader;
      res = router.Run(route, req);
      co_return BodyOutcome::kComplete;
    }
    if (has_body) {
      auto outcome = co_await ReadBody(stream, buffer, parser, limit, req, res);
      if (outcome != BodyOutcome::kComplete) co_return outcome;
    }
    res = admitted ? router.Run(route, req) : router.Dispatch(route, req);
    co_return BodyOutcome::kComplete;
  }

  // Reads a whole (non-streamed) body into req.body, waiting at most io_seconds for each
  // part of it.
  net::awaitable<BodyOutcome> ReadBody(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                       bhttp::request_parser<bhttp::empty_body>& header_parser,
                                       std::uint64_t limit, Request& req, Response& res) {
    bhttp::request_parser<bhttp::string_body> parser(std::move(header_parser));
    parser.body_limit(limit);
    if (auto declared = parser.content_length(); !declared || *declared > buffer.size()) {
      buffer.reserve(buffer.size() + kSpoolChunk);
    }
    while (!parser.is_done()) {
      beast::error_code ec;
      stream.expires_after(seconds(options.io_seconds));
      co_await bhttp::async_read_some(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      if (!ec) continue;
      co_return BodyFailure(ec, limit, req.request_id, res);
    }
    req.body = parser.release().body();
    co_return BodyOutcome::kComplete;
  }

  // Receives a streamed body into `spool`, waiting at most io_seconds for each part of it.
  net::awaitable<BodyOutcome> ReceiveToSpool(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                             bhttp::request_parser<bhttp::empty_body>& header_parser,
                                             std::uint64_t limit, SpoolFile& spool,
                                             const std::string& request_id, Response& res) {
    if (auto opened = spool.Open(options.spool_dir); !opened) {
      res = ErrorResponse(opened.error(), request_id);
      co_return BodyOutcome::kRefused;
    }
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(header_parser));
    parser.body_limit(limit);
    std::vector<char> chunk(kSpoolChunk);
    // Beast reads at most the buffer's free capacity at a time: make room for whole chunks.
    buffer.reserve(buffer.size() + kSpoolChunk);
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      beast::error_code ec;
      stream.expires_after(seconds(options.io_seconds));
      co_await bhttp::async_read_some(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return BodyFailure(ec, limit, request_id, res);
      std::size_t got = chunk.size() - parser.get().body().size;
      if (got > 0 && !spool.Append(chunk.data(), got)) break;
    }
    buffer.shrink_to_fit();
    if (!parser.is_done() || !spool.Rewind()) {  // the disk refused a write
      res = ErrorResponse(Error(ErrorCode::kUnavailable, "the server cannot store the upload now"), request_id);
      co_return BodyOutcome::kRefused;
    }
    co_return BodyOutcome::kComplete;
  }

  BodyOutcome BodyFailure(const beast::error_code& ec, std::uint64_t limit, const std::string& request_id,
                          Response& res) {
    if (ec == bhttp::error::body_limit) {
      res = TooLarge(limit, request_id);
      return BodyOutcome::kRefused;
    }
    if (IsMalformedRequest(ec)) {
      ++malformed_total;
      res = Refusal(ErrorCode::kInvalidArgument, fmt::format("the request body is malformed: {}", ec.message()),
                    "body", "malformed", "malformed_request", request_id);
      return BodyOutcome::kRefused;
    }
    if (ec == beast::error::timeout) ++timeouts_total;
    return BodyOutcome::kGone;
  }

  // ---- responses

  template <typename Body>
  static void SetHeaders(bhttp::response<Body>& r, const Response& res, const std::string& request_id) {
    r.set(bhttp::field::server, "fachwerk");
    if (!request_id.empty()) r.set("X-Request-Id", request_id);
    if (!res.content_type.empty()) r.set(bhttp::field::content_type, res.content_type);
    bool cache_set = false, csp_set = false, frame_set = false;
    for (const auto& [k, v] : res.headers) {
      r.insert(k, v);
      if (beast::iequals(k, "cache-control")) cache_set = true;
      if (beast::iequals(k, "content-security-policy")) csp_set = true;
      if (beast::iequals(k, "x-frame-options")) frame_set = true;
    }
    // Nothing the API answers may be kept by a cache: responses carry tokens and lab data.
    if (!cache_set) r.set(bhttp::field::cache_control, "no-store");
    r.set("X-Content-Type-Options", "nosniff");
    // A response may allow framing by the app itself (an evidence file in the vetting screen).
    if (!frame_set) r.set("X-Frame-Options", "DENY");
    r.set("Referrer-Policy", "no-referrer");
    if (!csp_set) r.set("Content-Security-Policy", kContentSecurityPolicy);
  }

  // Writes a whole response, waiting at most io_seconds for each part of it to be taken.
  net::awaitable<void> WriteWhole(beast::tcp_stream& stream, Response& res, const std::string& request_id,
                                  bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> r{static_cast<bhttp::status>(res.status), 11};
    SetHeaders(r, res, request_id);
    r.body() = std::move(res.body);
    r.keep_alive(keep_alive);
    r.prepare_payload();
    bhttp::response_serializer<bhttp::string_body> sr{r};
    if (head) {
      stream.expires_after(seconds(options.io_seconds));
      co_await bhttp::async_write_header(stream, sr, net::use_awaitable);
      co_return;
    }
    // Most answers fit the socket's send buffer: written at once, they need no deadline (and
    // no timer, which costs more than the write).
    beast::error_code ec;
    while (!sr.is_done()) {
      bhttp::write_some(stream.socket(), sr, ec);
      if (ec) break;
    }
    if (ec && ec != net::error::would_block && ec != net::error::try_again) throw beast::system_error(ec);
    while (!sr.is_done()) {
      stream.expires_after(seconds(options.io_seconds));
      co_await bhttp::async_write_some(stream, sr, net::use_awaitable);
    }
  }

  // Sends a streamed body chunked: each part is produced by the handler's producer and written
  // with a deadline. False when the producer failed midway (the connection must
  // then close so the client sees a truncated body).
  net::awaitable<bool> WriteStreamed(beast::tcp_stream& stream, Response& res, const std::string& request_id,
                                     bool keep_alive) {
    bhttp::response<bhttp::empty_body> r{static_cast<bhttp::status>(res.status), 11};
    SetHeaders(r, res, request_id);
    r.chunked(true);
    r.keep_alive(keep_alive);
    bhttp::response_serializer<bhttp::empty_body> sr{r};
    stream.expires_after(seconds(options.io_seconds));
    co_await bhttp::async_write_header(stream, sr, net::use_awaitable);
    std::string pending, part;
    bool more = true;
    while (more) {
      pending.clear();
      while (more && pending.size() < kStreamChunk) {
        part.clear();
        auto m = res.stream(part);
        if (!m) {
          spdlog::error("[{}] streamed response failed: {}", request_id, m.error().message);
          co_return false;
        }
        more = *m;
        pending += part;
      }
      if (!pending.empty()) {
        stream.expires_after(seconds(options.io_seconds));
        co_await net::async_write(stream, bhttp::make_chunk(net::buffer(pending)), net::use_awaitable);
      }
    }
    stream.expires_after(seconds(options.io_seconds));
    co_await net::async_write(stream, bhttp::make_chunk_last(), net::use_awaitable);
    co_return true;
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
  if (m.options.spool_dir.empty()) m.options.spool_dir = std::filesystem::temp_directory_path().string();
  std::error_code fec;
  std::filesystem::create_directories(m.options.spool_dir, fec);
  if (fec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot create the spool directory {}: {}", m.options.spool_dir, fec.message()));
  }
  try {
    auto address = net::ip::make_address(m.options.host);
    tcp::endpoint ep(address, m.options.port);
    m.acceptor.emplace(m.ioc);
    m.acceptor->open(ep.protocol());
    m.acceptor->set_option(net::socket_base::reuse_address(true));
    m.acceptor->bind(ep);
    m.acceptor->listen(net::socket_base::max_listen_connections);
  } catch (const boost::system::system_error& e) {
    // The error's own words, not what() (which adds the Boost source location).
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}:{}: {}{}", m.options.host, m.options.port,
                            e.code().message(),
                            e.code() == boost::asio::error::address_in_use
                                ? " (is another server running there? choose another --listen)"
                                : ""));
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}:{}: {}", m.options.host, m.options.port, e.what()));
  }
  m.reserve_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  // Every connection costs a descriptor, a streamed upload one more; the rest of the process
  // (database files, logs) keeps what it has now plus a margin.
  long limit = DescriptorLimit();
  long room = (limit - OpenDescriptors() - 64) / 2;
  int max_connections = static_cast<int>(std::clamp<long>(room, 1, m.options.max_connections));
  if (max_connections < m.options.max_connections) {
    spdlog::info("the descriptor limit ({}) allows {} connections (max_connections is {})", limit,
                 max_connections, m.options.max_connections);
  }
  m.connections.SetBounds(max_connections, std::max(1, m.options.max_connections_per_address));

  m.metrics.AddCallback("fachwerk_http_connections", "Open client connections.", "gauge",
                        [&m] { return static_cast<double>(m.connections.total()); });
  m.metrics.AddCallback("fachwerk_http_connections_shed_total",
                        "Connections answered 503 at once (over a bound or out of descriptors).", "counter",
                        [&m] { return static_cast<double>(m.shed_total.load()); });
  m.metrics.AddCallback("fachwerk_http_accept_failures_total", "Failed accepts (out of descriptors included).",
                        "counter", [&m] { return static_cast<double>(m.accept_failures_total.load()); });
  m.metrics.AddCallback("fachwerk_http_timeouts_total", "Connections closed for a missed read or write deadline.",
                        "counter", [&m] { return static_cast<double>(m.timeouts_total.load()); });
  m.metrics.AddCallback("fachwerk_http_malformed_total", "Requests answered 400 for malformed HTTP.", "counter",
                        [&m] { return static_cast<double>(m.malformed_total.load()); });

  std::uint16_t port = m.acceptor->local_endpoint().port();
  m.work.emplace(m.ioc.get_executor());
  net::co_spawn(m.ioc, m.AcceptLoop(), net::detached);
  for (int i = 0; i < std::max(1, m.options.threads); ++i) {
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

bool Server::Accepting() const { return impl_->accepting.load(); }
int Server::Connections() const { return impl_->connections.total(); }
int Server::MaxConnections() const { return impl_->connections.max_total(); }

}  // namespace fw::http
