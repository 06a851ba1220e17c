#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace fw::http {
namespace {

class NoAuth : public Authenticator {
 public:
  Result<Caller> Authenticate(std::string_view) override {
    return Fail(ErrorCode::kUnauthenticated, "no credentials here");
  }
};

// A connected socket to 127.0.0.1:port, closed on destruction.
class Conn {
 public:
  explicit Conn(std::uint16_t port, int rcvbuf = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~Conn() { ::close(fd_); }
  bool ok() const { return ok_; }
  void Send(std::string_view s) { ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }
  // Reads until the peer closes (or 10 s pass); returns what arrived.
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  std::string ReadSome() {
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_;
  bool ok_ = false;
};

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions o) {
    router_.Add({"GET", "/hello", Access::kPublic,
                 [](Request&) -> Result<Response> { return Json({{"hello", "world"}}); }, "hello"});
    router_.Add({"GET", "/big", Access::kPublic,
                 [](Request&) -> Result<Response> {
                   Response r;
                   r.content_type = "text/plain";
                   r.body.assign(8 * 1024 * 1024, 'x');
                   return r;
                 },
                 "a large answer"});
    o.host = "127.0.0.1";
    o.port = 0;
    server_ = std::make_unique<Server>(router_, metrics_, o);
    auto port = server_->Start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
  }
  // Waits (bounded) until the server holds at most `n` connections; returns the last count.
  int WaitForConnectionsAtMost(int n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    int seen = server_->Connections();
    while (seen > n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      seen = server_->Connections();
    }
    return seen;
  }

  NoAuth auth_;
  Router router_{&auth_};
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ServerTest, ServesConcurrentKeptAliveClients) {
  ServerOptions o;
  o.threads = 4;
  Start(o);
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      Conn c(port_);
      if (!c.ok()) return;
      for (int i = 0; i < 20; ++i) {
        c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        std::string got = c.ReadSome();
        if (got.rfind("HTTP/1.1 200", 0) == 0 && got.find("\"hello\":\"world\"") != std::string::npos) ++good;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), 160);
}

TEST_F(ServerTest, AClientThatNeverReadsIsDisconnectedAfterTheDeadline) {
  ServerOptions o;
  o.threads = 2;
  o.io_seconds = 1;
  Start(o);
  Conn stalled(port_, 4096);
  ASSERT_TRUE(stalled.ok());
  stalled.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  // Meanwhile another client is served at once: no thread is held by the stalled one.
  Conn other(port_);
  other.Send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(other.ReadAll().rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(WaitForConnectionsAtMost(0), 0);
}

TEST_F(ServerTest, ConnectionsOverTheAddressBoundAreAnswered503) {
  ServerOptions o;
  o.threads = 2;
  o.max_connections_per_address = 2;
  Start(o);
  Conn a(port_), b(port_);
  a.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  b.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(a.ReadSome().rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(b.ReadSome().rfind("HTTP/1.1 200", 0), 0u);
  Conn c(port_);
  std::string shed = c.ReadAll();
  EXPECT_EQ(shed.rfind("HTTP/1.1 503", 0), 0u) << shed;
  EXPECT_NE(shed.find("overloaded"), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestsGet400AndAClose) {
  ServerOptions o;
  o.threads = 2;
  Start(o);
  Conn c(port_);
  c.Send("NOT HTTP AT ALL\r\n\r\n");
  std::string got = c.ReadAll();
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
  EXPECT_NE(got.find("malformed_request"), std::string::npos);
  EXPECT_NE(got.find("Content-Security-Policy"), std::string::npos);
}

TEST(Metrics, AFamilyOfCallbacksSharesOneHelpAndTypeWithASeriesPerLabelSet) {
  Metrics m;
  long long accepted = 3;
  m.AddCallbacks("fw_decisions_total", "Decisions.", "counter",
                 {{"outcome=\"accepted\"", [&] { return static_cast<double>(accepted); }},
                  {"outcome=\"rejected\"", [] { return 1.0; }}});
  m.AddCallback("fw_plain_total", "Plain.", "counter", [] { return 2.0; });
  accepted = 4;
  const std::string text = m.Render();
  EXPECT_NE(text.find("# HELP fw_decisions_total Decisions.\n# TYPE fw_decisions_total counter\n"
                      "fw_decisions_total{outcome=\"accepted\"} 4\n"
                      "fw_decisions_total{outcome=\"rejected\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("# HELP fw_decisions_total", text.find("# HELP fw_decisions_total") + 1),
            std::string::npos);
  EXPECT_NE(text.find("fw_plain_total 2\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace fw::http
