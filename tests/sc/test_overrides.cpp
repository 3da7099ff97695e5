// --set KEY=VALUE overrides: path walking (maps, list elements by name / id /
// index), created maps, typed reading afterwards, and every refusal.
#define BOOST_TEST_MODULE overrides
#include <boost/test/unit_test.hpp>

#include <string>

#include <yaml-cpp/yaml.h>

#include "platforms/overrides.h"
#include "platforms/yaml_reader.h"

int sc_main(int, char**) { return 0; }

using namespace iommusim;

namespace {

const char* kDoc = R"(iommus:
  - {name: smmu0, iotlb: {entries: 128}}
  - {name: smmu1}
pci:
  expanders:
    - {id: pxb1, bus_nr: 0x10}
devices:
  - {name: nic0, traffic: {size: 64}}
)";

YAML::Node apply(const std::vector<std::string>& sets) {
    YAML::Node root = YAML::Load(kDoc);
    std::vector<Override> ov;
    for (const auto& s : sets) {
        Override o;
        std::string err;
        BOOST_REQUIRE_MESSAGE(parse_override(s, o, err), err);
        ov.push_back(o);
    }
    apply_overrides(root, ov, "p.yaml");
    return root;
}

std::string error_of(const std::vector<std::string>& sets) {
    try {
        apply(sets);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(parse_splits_at_the_first_equals_sign) {
    Override o;
    std::string err;
    BOOST_TEST(parse_override("a.b=x=y", o, err));
    BOOST_TEST(o.key == "a.b");
    BOOST_TEST(o.value == "x=y");
    BOOST_TEST(!parse_override("a.b", o, err));
    BOOST_TEST(!parse_override("=3", o, err));
    BOOST_TEST(!parse_override("a..b=3", o, err));
}

BOOST_AUTO_TEST_CASE(list_elements_by_name_id_and_index) {
    const YAML::Node r = apply({"iommus.smmu0.iotlb.entries=16", "pci.expanders.pxb1.bypass_iommu=true",
                                "devices.0.traffic.size=4KiB"});
    BOOST_TEST(r["iommus"][0]["iotlb"]["entries"].as<std::string>() == "16");
    BOOST_TEST(r["pci"]["expanders"][0]["bypass_iommu"].as<std::string>() == "true");
    BOOST_TEST(r["devices"][0]["traffic"]["size"].as<std::string>() == "4KiB");
    // Untouched siblings stay.
    BOOST_TEST(r["pci"]["expanders"][0]["bus_nr"].as<std::string>() == "0x10");
}

BOOST_AUTO_TEST_CASE(missing_maps_are_created) {
    const YAML::Node r = apply({"iommus.smmu1.walk_cache.entries=8", "memory.latency_ns=50"});
    BOOST_TEST(r["iommus"][1]["walk_cache"]["entries"].as<int>() == 8);
    BOOST_TEST(r["memory"]["latency_ns"].as<int>() == 50);
}

BOOST_AUTO_TEST_CASE(flow_values_are_yaml) {
    const YAML::Node r = apply({"devices.nic0.traffic={size: 128, pattern: random}"});
    BOOST_TEST(r["devices"][0]["traffic"]["size"].as<int>() == 128);
    BOOST_TEST(r["devices"][0]["traffic"]["pattern"].as<std::string>() == "random");
}

BOOST_AUTO_TEST_CASE(refusals_name_the_override) {
    BOOST_TEST(error_of({"iommus.smmu9.iotlb.entries=1"}) ==
               "p.yaml: '--set iommus.smmu9.iotlb.entries': 'iommus' has no element 'smmu9'");
    BOOST_TEST(error_of({"iommus.2.iotlb.entries=1"}) ==
               "p.yaml: '--set iommus.2.iotlb.entries': 'iommus' has no element '2'");
    BOOST_TEST(error_of({"iommus.smmu0=1"}) == "p.yaml: '--set iommus.smmu0': cannot replace a whole list element");
    BOOST_TEST(error_of({"devices.nic0.name.x=1"}) ==
               "p.yaml: '--set devices.nic0.name.x': 'devices.nic0.name' is a value, not a mapping");
}
