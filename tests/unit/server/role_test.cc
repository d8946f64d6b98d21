#include "harness/server/role.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::server {
namespace {

using resp::Value;
using ::testing::HasSubstr;

// Decoded from redis-server 7.0.15:
// *3\r\n$6\r\nmaster\r\n:112\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$5\r\n17002\r\n$3\r\n112\r\n
Value Redis7Master() {
  return Value::Array({Value::Bulk("master"), Value::Integer(112),
                       Value::Array({Value::Array({Value::Bulk("127.0.0.1"), Value::Bulk("17002"),
                                                   Value::Bulk("112")})})});
}

// Decoded from redis-server 7.0.15:
// *5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:17001\r\n$9\r\nconnected\r\n:112\r\n
Value Redis7Replica(std::string state = "connected", int64_t offset = 112) {
  return Value::Array({Value::Bulk("slave"), Value::Bulk("127.0.0.1"), Value::Integer(17001),
                       Value::Bulk(std::move(state)), Value::Integer(offset)});
}

TEST(ParseRole, Master) {
  auto role = ParseRole(Redis7Master());
  ASSERT_TRUE(role.ok()) << role.message();
  EXPECT_EQ(role->kind, Role::Kind::kMaster);
  EXPECT_EQ(role->offset, 112);
  ASSERT_EQ(role->replicas.size(), 1u);
  EXPECT_EQ(role->replicas[0].ip, "127.0.0.1");
  EXPECT_EQ(role->replicas[0].port, 17002);
  EXPECT_EQ(role->replicas[0].offset, 112);
  EXPECT_EQ(role->ToString(), "master offset=112 replicas=[127.0.0.1:17002@112]");
}

TEST(ParseRole, MasterWithoutReplicas) {
  auto role = ParseRole(Value::Array({Value::Bulk("master"), Value::Integer(0), Value::Array({})}));
  ASSERT_TRUE(role.ok()) << role.message();
  EXPECT_TRUE(role->replicas.empty());
  EXPECT_EQ(role->ToString(), "master offset=0 replicas=[]");
}

TEST(ParseRole, Replica) {
  auto role = ParseRole(Redis7Replica());
  ASSERT_TRUE(role.ok()) << role.message();
  EXPECT_EQ(role->kind, Role::Kind::kReplica);
  EXPECT_EQ(role->master_host, "127.0.0.1");
  EXPECT_EQ(role->master_port, 17001);
  EXPECT_EQ(role->state, "connected");
  EXPECT_EQ(role->offset, 112);
  EXPECT_EQ(role->ToString(), "replica of 127.0.0.1:17001 state=connected offset=112");
}

TEST(ParseRole, ReplicaWithoutMasterClient) {
  // Captured from redis-server 7.0.15 after its master went away: state connect, offset -1.
  auto role = ParseRole(Redis7Replica("connect", -1));
  ASSERT_TRUE(role.ok()) << role.message();
  EXPECT_EQ(role->state, "connect");
  EXPECT_EQ(role->offset, -1);
}

TEST(ParseRole, ErrorReplies) {
  auto unknown = ParseRole(Value::Error("ERR unknown command 'ROLE'"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kUnsupported);
  auto other = ParseRole(Value::Error("NOPERM this user has no permissions"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kProtocol);
  EXPECT_THAT(other.message(), HasSubstr("NOPERM"));
}

struct MalformedCase {
  const char* name;
  Value reply;
};

TEST(ParseRole, MalformedRepliesNameTheReply) {
  const MalformedCase cases[] = {
      {"not an array", Value::SimpleString("OK")},
      {"too short", Value::Array({Value::Bulk("master")})},
      {"unknown kind", Value::Array({Value::Bulk("sentinel"), Value::Array({})})},
      {"offset not a number", Value::Array({Value::Bulk("master"), Value::Bulk("x")})},
      {"replica list not an array",
       Value::Array({Value::Bulk("master"), Value::Integer(1), Value::Integer(2)})},
      {"replica entry too short",
       Value::Array({Value::Bulk("master"), Value::Integer(1),
                     Value::Array({Value::Array({Value::Bulk("127.0.0.1")})})})},
      {"replica port not a number",
       Value::Array({Value::Bulk("master"), Value::Integer(1),
                     Value::Array({Value::Array(
                         {Value::Bulk("127.0.0.1"), Value::Bulk("p"), Value::Bulk("1")})})})},
      {"replica form too short",
       Value::Array({Value::Bulk("slave"), Value::Bulk("h"), Value::Integer(1)})},
      {"replica port not a number",
       Value::Array({Value::Bulk("slave"), Value::Bulk("h"), Value::Bulk("x"),
                     Value::Bulk("connected"), Value::Integer(1)})},
  };
  for (const MalformedCase& c : cases) {
    auto role = ParseRole(c.reply);
    ASSERT_FALSE(role.ok()) << c.name;
    EXPECT_EQ(role.error().kind, ErrorKind::kProtocol) << c.name;
    EXPECT_THAT(role.message(), HasSubstr("malformed ROLE reply")) << c.name;
  }
}

}  // namespace
}  // namespace conformance::server
