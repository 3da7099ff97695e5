// Helpers for tests that read a platform from YAML text in-process.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "platforms/platform_config.h"
#include "platforms/yaml_reader.h"

namespace iommusim::test {

// Writes `text` to a temporary .yaml file and loads it (ConfigError escapes).
inline PlatformConfig load_config_text(const std::string& text) {
    namespace fs = std::filesystem;
    const fs::path p = fs::temp_directory_path() / ("iommusim-config-" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(p) << text;
    try {
        PlatformConfig c = load_platform_config(p.string());
        fs::remove(p);
        return c;
    } catch (...) {
        fs::remove(p);
        throw;
    }
}

// The ConfigError text from the line number on ("7:20: 'devices[0]...': ..."),
// or "(no error)".
inline std::string config_error_of(const std::string& text) {
    try {
        load_config_text(text);
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        return m.substr(m.find(".yaml:") + 6);
    }
    return "(no error)";
}

}  // namespace iommusim::test
