// A capture whose snapshot trickles in and never ends: the timeout names the whole capture's
// wait and what arrived during it, not the time left on its last read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <memory>
#include <string>
#include <utility>

#include "harness/net/connection.h"
#include "harness/net/run_sync.h"
#include "harness/net/timeout.h"
#include "harness/oracle/snapshot_capture.h"

namespace conformance::oracle {
namespace {

using std::chrono::milliseconds;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

// Answers SYNC with a 100 MB snapshot whose one string value then arrives 512 bytes every 20 ms.
net::Awaitable<void> TricklingMaster(net::Listener& listener) {
  auto accepted = co_await listener.Accept(milliseconds(2000), "master", nullptr);
  if (!accepted.ok()) co_return;
  net::Connection& master = **accepted;
  std::string request;
  while (request.find("SYNC\r\n") == std::string::npos) {
    if (!(co_await master.ReadSome(&request, milliseconds(2000))).ok()) co_return;
  }
  // RDB 9 header, then key "k" of type string with a 50,000,000-byte value (32-bit length).
  std::string preamble = "$100000000\r\nREDIS0009";
  preamble += std::string("\x00\x01", 2) + "k";
  preamble += std::string("\x80\x02\xfa\xf0\x80", 5);
  if (!(co_await master.Write(preamble, milliseconds(2000))).ok()) co_return;
  for (int i = 0; i < 500; ++i) {
    co_await net::Pause(milliseconds(20));
    if (!(co_await master.Write(std::string(512, 'x'), milliseconds(2000))).ok()) co_return;
  }
}

TEST(CaptureTimeout, NamesTheWholeWaitAndWhatArrived) {
  asio::io_context io;
  auto listener = net::Listener::Bind(io.get_executor());
  ASSERT_TRUE(listener.ok()) << listener.message();
  asio::co_spawn(io, TricklingMaster(**listener), asio::detached);
  keyspace::Keyspace model;
  CaptureOptions options;
  options.rdb_only = false;
  options.eof = EofMode::kNever;
  options.listening_port.reset();
  options.timeout = milliseconds(600);
  auto captured =
      net::RunSync(io, CaptureKeyspace("127.0.0.1", (*listener)->port(), &model, options));
  ASSERT_FALSE(captured.ok());
  EXPECT_EQ(captured.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(captured.message(), HasSubstr("timed out after 600 ms waiting for data ("));
  EXPECT_THAT(captured.message(),
              ContainsRegex("\\([0-9]+ bytes arrived in that time\\) after [0-9]+ payload bytes"));
}

}  // namespace
}  // namespace conformance::oracle
