// Minimal streaming JSON writer (no SystemC): used by StatsRegistry and the
// platform's stats.json.
//
//   JsonWriter w(os);            // pretty, 2-space indent; JsonWriter(os, 0) = compact
//   w.begin_object();
//   w.key("name").value("smmu0");
//   w.key("hits").value(uint64_t{3});
//   w.key("lat").begin_array().value(1.5).value(2).end_array();
//   w.end_object();
//
// Commas are inserted between members/elements (never trailing); misuse
// (a value in an object without a key, a key outside an object, unbalanced
// end_*, or a second top-level value) throws std::logic_error.
//
// Strings: '"', '\\' and control characters below 0x20 are escaped (\b \f \n
// \r \t, others as \u00XX); every other byte, including UTF-8 sequences, is
// written as is (the caller supplies UTF-8).
// Numbers: integers exactly; doubles in the shortest form that reads back to
// the same double, and integral doubles with |v| < 2^53 without a decimal
// point ("3", not "3.0"); NaN and infinities (not representable) as null.
//
// Pretty layout: every member/element on its own line, indented by `indent`
// spaces per level, "key": value with one space; empty containers as {} / [].
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace iommusim {

class JsonWriter {
public:
    explicit JsonWriter(std::ostream& os, int indent = 2);

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);

    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    JsonWriter& value(double d);
    JsonWriter& value(std::nullptr_t);
    template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    JsonWriter& value(T v) {
        if constexpr (std::is_signed_v<T>) return value_int(static_cast<int64_t>(v));
        else return value_uint(static_cast<uint64_t>(v));
    }
    JsonWriter& value_int(int64_t v);
    JsonWriter& value_uint(uint64_t v);

    // True once exactly one complete top-level value has been written.
    bool complete() const { return done_ && stack_.empty(); }

    // '"' + escaped s + '"'.
    static std::string quote(std::string_view s);
    // A double as value(double) writes it ("null" for NaN / infinities).
    static std::string number(double d);

private:
    struct Level {
        bool object;
        bool empty = true;
    };
    void before_value();  // comma / newline / indentation, state checks
    void newline_indent(size_t depth);

    std::ostream& os_;
    int indent_;
    std::vector<Level> stack_;
    bool key_pending_ = false;
    bool done_ = false;
};

}  // namespace iommusim
