#include "models/common/json.h"

#include <charconv>
#include <cmath>
#include <ostream>
#include <stdexcept>

namespace iommusim {

JsonWriter::JsonWriter(std::ostream& os, int indent) : os_(os), indent_(indent < 0 ? 0 : indent) {}

void JsonWriter::newline_indent(size_t depth) {
    if (indent_ == 0) return;
    os_ << '\n';
    for (size_t i = 0; i < depth * static_cast<size_t>(indent_); ++i) os_ << ' ';
}

void JsonWriter::before_value() {
    if (stack_.empty()) {
        if (done_) throw std::logic_error("JsonWriter: more than one top-level value");
        return;
    }
    Level& l = stack_.back();
    if (l.object) {
        if (!key_pending_) throw std::logic_error("JsonWriter: value in an object without a key");
        key_pending_ = false;  // key() already wrote the separator and the key
        return;
    }
    if (!l.empty) os_ << ',';
    l.empty = false;
    newline_indent(stack_.size());
}

JsonWriter& JsonWriter::key(std::string_view k) {
    if (stack_.empty() || !stack_.back().object) throw std::logic_error("JsonWriter: key outside an object");
    if (key_pending_) throw std::logic_error("JsonWriter: two keys in a row");
    Level& l = stack_.back();
    if (!l.empty) os_ << ',';
    l.empty = false;
    newline_indent(stack_.size());
    os_ << quote(k) << (indent_ ? ": " : ":");
    key_pending_ = true;
    return *this;
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    os_ << '{';
    stack_.push_back(Level{true});
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    os_ << '[';
    stack_.push_back(Level{false});
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    if (stack_.empty() || !stack_.back().object) throw std::logic_error("JsonWriter: end_object without an object");
    if (key_pending_) throw std::logic_error("JsonWriter: key without a value");
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) newline_indent(stack_.size());
    os_ << '}';
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    if (stack_.empty() || stack_.back().object) throw std::logic_error("JsonWriter: end_array without an array");
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) newline_indent(stack_.size());
    os_ << ']';
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    before_value();
    os_ << quote(s);
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    os_ << (b ? "true" : "false");
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(double d) {
    before_value();
    os_ << number(d);
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::nullptr_t) {
    before_value();
    os_ << "null";
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::value_int(int64_t v) {
    before_value();
    os_ << v;
    if (stack_.empty()) done_ = true;
    return *this;
}

JsonWriter& JsonWriter::value_uint(uint64_t v) {
    before_value();
    os_ << v;
    if (stack_.empty()) done_ = true;
    return *this;
}

std::string JsonWriter::quote(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

std::string JsonWriter::number(double d) {
    if (!std::isfinite(d)) return "null";
    if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)  // 2^53: exact as an integer
        return std::to_string(static_cast<int64_t>(d));
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
    return std::string(buf, r.ptr);
}

}  // namespace iommusim
