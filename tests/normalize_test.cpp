#include "tact/normalize.hpp"
#include <gtest/gtest.h>
TEST(Normalizer, Smoke) {
  auto n = tact::Normalizer::standard().normalize("你們怎麼亂,扣 錢？ＲＥＦＵＮＤ");
  EXPECT_EQ(n.text, "你们怎么乱扣钱refund");
}
