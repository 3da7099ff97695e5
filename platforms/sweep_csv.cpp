// sweep.csv helpers: flattening stats.json into columns, CSV quoting.
#include <cctype>

#include "platforms/sweep.h"

namespace iommusim {

namespace {

// A JSON number: -?digits(.digits)?([eE][+-]?digits)?
bool is_json_number(const std::string& s) {
    size_t i = 0;
    const size_t n = s.size();
    auto digits = [&] {
        const size_t start = i;
        while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        return i > start;
    };
    if (i < n && s[i] == '-') ++i;
    if (!digits()) return false;
    if (i < n && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == n;
}

void flatten(const YAML::Node& node, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    if (node.IsMap()) {
        for (const auto& kv : node) flatten(kv.second, prefix + "." + kv.first.Scalar(), out);
    } else if (node.IsScalar()) {
        // A quoted scalar ("!" tag) is a JSON string, even when it looks like a number.
        if (node.Tag() != "!" && is_json_number(node.Scalar())) out.emplace_back(prefix, node.Scalar());
    }
    // Sequences and nulls carry no column.
}

}  // namespace

std::vector<std::pair<std::string, std::string>> flatten_stats(const YAML::Node& stats) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!stats.IsMap()) return out;
    const YAML::Node sim = stats["simulated_ns"];
    if (sim && sim.IsScalar() && sim.Tag() != "!" && is_json_number(sim.Scalar()))
        out.emplace_back("simulated_ns", sim.Scalar());
    for (const char* section : {"devices", "iommus"}) {
        const YAML::Node s = stats[section];
        if (s) flatten(s, section, out);
    }
    return out;
}

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string q = "\"";
    for (char c : text) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

}  // namespace iommusim
