// Trace files (traffic/pattern/trace_file.h): a good trace read field by
// field, every kind of malformed line reported at its exact line (lines
// counted over the whole file, comments and blank lines included), and the
// shipped example configs/traces/example.csv.
#define BOOST_TEST_MODULE trace_file
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "models/common/requester_id.h"
#include "traffic/pattern/trace_file.h"

using namespace iommusim::traffic;
namespace fs = std::filesystem;

namespace {

std::vector<TraceRecord> parse(const std::string& text) {
    std::istringstream in(text);
    return parse_trace(in, "t.csv");
}

// Parsing `text` fails at `line` with a message that contains every one of
// `parts` (field name, found text, ...).
void expect_error(const std::string& text, size_t line, const std::vector<std::string>& parts) {
    BOOST_TEST_CONTEXT("trace:\n" << text) {
        try {
            parse(text);
            BOOST_ERROR("accepted");
        } catch (const TraceError& e) {
            const std::string what = e.what();
            BOOST_TEST(e.line() == line, what);
            BOOST_TEST(e.file() == "t.csv");
            const std::string prefix = "t.csv:" + std::to_string(line) + ": ";
            BOOST_TEST(what.rfind(prefix, 0) == 0, what);
            BOOST_TEST(what == prefix + e.message());
            for (const auto& p : parts) BOOST_TEST(what.find(p) != std::string::npos, "'" << p << "' in " << what);
        }
    }
}

// A valid prefix of 4 lines (comment, blank, header, one record) so that the
// line under test is line 5.
const std::string kPrefix =
    "# a comment\n"
    "\n"
    "time_ns,requester,pasid,address,size,access\n"
    "0,00:01.0,-,0x1000,64,r\n";

// Replaces field `i` of a good record and expects an error at line 5.
void expect_field_error(size_t i, const std::string& value, const std::vector<std::string>& parts) {
    std::vector<std::string> f = {"1", "00:01.0", "-", "0x2000", "64", "w"};
    f[i] = value;
    std::string rec;
    for (size_t k = 0; k < f.size(); ++k) rec += (k ? "," : "") + f[k];
    std::vector<std::string> all = parts;
    all.push_back("'" + value + "'");
    expect_error(kPrefix + rec + "\n", 5, all);
}

uint16_t rid(unsigned bus, unsigned dev, unsigned fn) { return iommusim::RequesterId::make(bus, dev, fn).value; }

}  // namespace

BOOST_AUTO_TEST_CASE(good_trace_field_by_field) {
    const std::string text =
        "# DMA trace\n"                                               // 1
        "\n"                                                          // 2
        "  time_ns , requester,pasid,address,size,access\n"           // 3 header, blanks allowed
        "0,00:01.0,-,0x10000000,64,r\n"                               // 4
        "  12.5 ,\t0001:3a:1f.7 , 0x1F , 268435520 , 0x1000 , W \n"  // 5
        "12.5,00:02.0,1048575,0xFFFFFFFFFFFFFFC0,64,w\r\n"            // 6 CR LF; same time; ends at 2^64
        "    # indented comment\n"                                    // 7
        "   \t\n"                                                     // 8
        "100.,ff:00.0,0,0,1048576,R\n"                                // 9
        ".75e0,00:00.0,-,0,1,r\n";                                    // 10 (bad, checked below)
    const std::string good = text.substr(0, text.rfind(".75e0"));
    const std::vector<TraceRecord> r = parse(good);
    BOOST_TEST_REQUIRE(r.size() == 4u);

    BOOST_TEST(r[0].time_ns == 0.0);
    BOOST_TEST(r[0].segment == 0u);
    BOOST_TEST(r[0].rid == rid(0, 1, 0));
    BOOST_TEST(!r[0].pasid_valid);
    BOOST_TEST(r[0].pasid == 0u);
    BOOST_TEST(r[0].address == 0x10000000u);
    BOOST_TEST(r[0].size == 64u);
    BOOST_TEST(!r[0].write);
    BOOST_TEST(r[0].line == 4u);

    BOOST_TEST(r[1].time_ns == 12.5);
    BOOST_TEST(r[1].segment == 1u);
    BOOST_TEST(r[1].rid == rid(0x3a, 0x1f, 7));
    BOOST_TEST(r[1].pasid_valid);
    BOOST_TEST(r[1].pasid == 0x1fu);
    BOOST_TEST(r[1].address == 268435520u);
    BOOST_TEST(r[1].size == 4096u);
    BOOST_TEST(r[1].write);
    BOOST_TEST(r[1].line == 5u);

    BOOST_TEST(r[2].time_ns == 12.5);
    BOOST_TEST(r[2].rid == rid(0, 2, 0));
    BOOST_TEST(r[2].pasid_valid);
    BOOST_TEST(r[2].pasid == 1048575u);
    BOOST_TEST(r[2].address == 0xFFFFFFFFFFFFFFC0u);
    BOOST_TEST(r[2].write);
    BOOST_TEST(r[2].line == 6u);

    BOOST_TEST(r[3].time_ns == 100.0);
    BOOST_TEST(r[3].rid == rid(0xff, 0, 0));
    BOOST_TEST(r[3].pasid_valid);
    BOOST_TEST(r[3].pasid == 0u);
    BOOST_TEST(r[3].address == 0u);
    BOOST_TEST(r[3].size == 1048576u);
    BOOST_TEST(!r[3].write);
    BOOST_TEST(r[3].line == 9u);

    // The whole text: line 10 has an exponent, which is not allowed.
    expect_error(text, 10, {"time_ns", "'.75e0'"});
}

BOOST_AUTO_TEST_CASE(header_and_comments_are_optional) {
    BOOST_TEST(parse("").empty());
    BOOST_TEST(parse("# only a comment\n\n").empty());
    BOOST_TEST(parse("time_ns,requester,pasid,address,size,access\n").empty());
    const auto r = parse("0.5,00:03.1,-,4096,8,r");  // no header, no final newline
    BOOST_TEST_REQUIRE(r.size() == 1u);
    BOOST_TEST(r[0].time_ns == 0.5);
    BOOST_TEST(r[0].rid == rid(0, 3, 1));
    BOOST_TEST(r[0].line == 1u);
    const auto s = parse("#x\n#y\n.5,00:03.1,-,4096,8,r\n");
    BOOST_TEST_REQUIRE(s.size() == 1u);
    BOOST_TEST(s[0].line == 3u);
    BOOST_TEST(s[0].time_ns == 0.5);
}

BOOST_AUTO_TEST_CASE(wrong_field_count) {
    expect_error(kPrefix + "1,00:01.0,-,0x2000,64\n", 5, {"6 comma-separated fields", "found 5"});
    expect_error(kPrefix + "1,00:01.0,-,0x2000,64,r,extra\n", 5, {"found 7"});
    expect_error(kPrefix + "1,00:01.0,-,0x2000,64,r,\n", 5, {"found 7"});  // trailing comma
    expect_error(kPrefix + "garbage\n", 5, {"found 1", "'garbage'"});
    expect_error("0;00:01.0;-;0x2000;64;r\n", 1, {"found 1"});
}

BOOST_AUTO_TEST_CASE(bad_requester) {
    for (const char* s : {"00:01", "0:01.0", "00:1.0", "00:01.", "00:01.00", "zz:01.0", "000:00:01.0", "00000:00:01.0",
                          "0000:00:01", "00.01:0", "", "0000:0000:00:01.0", "00:01.0x"})
        expect_field_error(1, s, {"requester", "expected [ssss:]bb:dd.f"});
    expect_field_error(1, "00:20.0", {"requester", "device must be 00-1f"});
    expect_field_error(1, "00:01.8", {"requester", "function must be 0-7"});
}

BOOST_AUTO_TEST_CASE(bad_pasid) {
    for (const char* s : {"abc", "-1", "", "0x", "1.0", "--", "0x1g", "12 3"})
        expect_field_error(2, s, {"pasid", "expected '-' or a decimal or 0x-hex number"});
    for (const char* s : {"1048576", "0x100000", "99999999999999999999999"})
        expect_field_error(2, s, {"pasid", "below 2^20"});
}

BOOST_AUTO_TEST_CASE(bad_address) {
    for (const char* s : {"0x", "12a", "0x1_0000", "-5", "+5", "", "0x10 00", "1e6", "x10"})
        expect_field_error(3, s, {"address", "expected a decimal or 0x-hex number"});
    expect_field_error(3, "18446744073709551616", {"address", "does not fit in 64 bits"});
    expect_field_error(3, "0x10000000000000000", {"address", "does not fit in 64 bits"});
    expect_field_error(3, "0xFFFFFFFFFFFFFFC1", {"address", "wraps past 2^64"});  // + 64 bytes
}

BOOST_AUTO_TEST_CASE(bad_size) {
    for (const char* s : {"0", "0x0", "1048577", "0x100001", "99999999999999999999999"})
        expect_field_error(4, s, {"size", "must be 1..1048576 bytes"});
    for (const char* s : {"", "64k", "64b", "6 4", "-64", "0x"})
        expect_field_error(4, s, {"size", "expected a decimal or 0x-hex number of bytes"});
}

BOOST_AUTO_TEST_CASE(bad_access) {
    for (const char* s : {"x", "rw", "", "read", "r # comment", "0"})
        expect_field_error(5, s, {"access", "expected r or w"});
}

BOOST_AUTO_TEST_CASE(bad_time) {
    for (const char* s : {"12ns", "1.2.3", "1e3", "-1", "+1", "", ".", "0x10", "1 2", "inf", "nan"})
        expect_field_error(0, s, {"time_ns", "expected a non-negative decimal number of ns"});
    // 1e400 ns overflows a double; the text found is cut to 40 characters.
    expect_error(kPrefix + std::string(400, '9') + ",00:01.0,-,0x2000,64,w\n", 5,
                 {"time_ns", "not a representable number", "'" + std::string(40, '9') + "...'"});
}

BOOST_AUTO_TEST_CASE(decreasing_time) {
    const std::string text =
        "10,00:01.0,-,0x1000,64,r\n"  // 1
        "# c\n"                        // 2
        "10,00:01.0,-,0x1040,64,r\n"  // 3: equal is fine
        "\n"                           // 4
        "9.5,00:02.0,-,0x1080,64,w\n";  // 5
    expect_error(text, 5, {"time_ns", "earlier than the previous record's 10 (line 3)", "'9.5'"});
}

BOOST_AUTO_TEST_CASE(header_after_a_record) {
    expect_error(kPrefix + "time_ns,requester,pasid,address,size,access\n", 5, {"header"});
    expect_error("time_ns,requester,pasid,address,size,access\ntime_ns,requester,pasid,address,size,access\n", 2,
                 {"header"});
    // A header with other names is just a malformed record.
    expect_error("time,requester,pasid,address,size,access\n", 1, {"time_ns", "'time'"});
}

BOOST_AUTO_TEST_CASE(non_printable_text_is_escaped) {
    try {
        parse(std::string("0,00:01.0,-,0x10\x01,64,r\n"));
        BOOST_ERROR("accepted");
    } catch (const TraceError& e) {
        BOOST_TEST(std::string(e.what()) == "t.csv:1: address: expected a decimal or 0x-hex number, found '0x10\\x01'");
    }
}

BOOST_AUTO_TEST_CASE(unreadable_file) {
    const std::string path = "/nonexistent-dir-iommusim/trace.csv";
    try {
        load_trace(path);
        BOOST_ERROR("accepted");
    } catch (const TraceError& e) {
        BOOST_TEST(e.line() == 0u);
        BOOST_TEST(std::string(e.what()).rfind(path + ": cannot read: ", 0) == 0, e.what());
    }
    const std::string dir = fs::temp_directory_path().string();
    try {
        load_trace(dir);
        BOOST_ERROR("accepted");
    } catch (const TraceError& e) {
        BOOST_TEST(e.line() == 0u);
        BOOST_TEST(std::string(e.what()) == dir + ": cannot read: is a directory");
    }
}

BOOST_AUTO_TEST_CASE(shipped_example_parses) {
    const fs::path path = fs::path(__FILE__).parent_path().parent_path().parent_path() / "configs/traces/example.csv";
    const std::vector<TraceRecord> r = load_trace(path.string());
    BOOST_TEST_REQUIRE(r.size() == 25u);
    // First record: the line after the 12 comment lines and the header.
    BOOST_TEST(r[0].line == 14u);
    BOOST_TEST(r[0].time_ns == 0.0);
    BOOST_TEST(r[0].rid == rid(0, 1, 0));
    BOOST_TEST(!r[0].pasid_valid);
    BOOST_TEST(r[0].address == 0x10000000u);
    BOOST_TEST(r[0].size == 4096u);
    BOOST_TEST(!r[0].write);
    size_t writes = 0, dev1 = 0, dev2 = 0;
    for (const auto& t : r) {
        writes += t.write;
        BOOST_TEST(t.segment == 0u);
        BOOST_TEST(t.address >= 0x10000000u);
        BOOST_TEST(t.address + t.size <= 0x10100000u);
        if (t.rid == rid(0, 1, 0)) {
            ++dev1;
            BOOST_TEST(!t.pasid_valid);
        } else {
            BOOST_TEST(t.rid == rid(0, 2, 0));
            ++dev2;
            BOOST_TEST(t.pasid_valid);
            BOOST_TEST(t.pasid == 1u);
        }
    }
    BOOST_TEST(writes == 7u);
    BOOST_TEST(dev1 == 17u);
    BOOST_TEST(dev2 == 8u);
    BOOST_TEST(r.back().time_ns == 520.0);
    BOOST_TEST(r[3].time_ns == 82.5);
}
