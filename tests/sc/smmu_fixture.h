// Test bench for SMMUv3 integration tests: memory, one SMMUv3, its
// host-software driver and a DMA initiator. The test body runs in an
// SC_THREAD after the driver has initialised the SMMU (unless init = false).
// One bench per process: SystemC cannot elaborate twice.
#pragma once

#include <cstring>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/common/phys_alloc.h"
#include "models/common/tlm/dma_ext.h"
#include "models/common/tlm/memory.h"
#include "models/smmuv3/smmuv3.h"
#include "models/smmuv3/smmuv3_driver.h"

namespace iommusim::test {

using namespace iommusim::smmuv3;
using namespace iommusim::smmuv3::reg;

struct DmaResult {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    bool ok() const { return status == tlm::TLM_OK_RESPONSE; }
    sc_core::sc_time latency;
    sc_core::sc_time translation;  // the part the SMMU reports as translation (DmaExtension)
};

struct BenchOptions {
    Smmuv3Params smmu;
    DriverParams driver;
    MemoryParams memory;
    bool init = true;
    BenchOptions() {
        memory.size = uint64_t{16} << 30;  // 16 GiB: addresses above are external aborts
        driver.sid_bits = 16;
    }
};

class SmmuBench : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<SmmuBench> dev;
    Memory mem;
    Smmuv3 smmu;
    PhysAllocator alloc;
    Smmuv3Driver drv;
    std::function<void(SmmuBench&)> body;
    bool body_done = false;

    SC_HAS_PROCESS(SmmuBench);
    SmmuBench(const sc_core::sc_module_name& n, const BenchOptions& o, std::function<void(SmmuBench&)> b)
        : sc_module(n),
          dev("dev"),
          mem("mem", o.memory),
          smmu("smmu", o.smmu),
          alloc(uint64_t{1} << 30, uint64_t{4} << 30),
          drv("drv", mem.backdoor(), alloc, o.driver),
          body(std::move(b)),
          init_(o.init) {
        dev.bind(smmu.in);
        smmu.out.bind(mem.in);
        drv.regs.bind(smmu.regs);
        SC_THREAD(run);
    }

    // One DMA from requester `rid` (StreamID = rid), optionally with a PASID.
    DmaResult dma(uint16_t rid, uint64_t addr, void* data, unsigned len, bool write, bool ssv = false,
                  uint32_t ssid = 0, bool priv = false) {
        tlm::tlm_generic_payload tx;
        DmaExtension ext;
        ext.rid.value = rid;
        ext.pasid_valid = ssv;
        ext.pasid = ssid;
        ext.privileged = priv;
        tx.set_extension(&ext);
        tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        tx.set_address(addr);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        dev->b_transport(tx, d);
        wait(d);
        tx.clear_extension(&ext);
        return DmaResult{tx.get_response_status(), d, sc_core::sc_time(double(ext.translation_ps), sc_core::SC_PS)};
    }
    uint64_t read64(uint16_t rid, uint64_t addr, DmaResult* r = nullptr, bool ssv = false, uint32_t ssid = 0) {
        uint64_t v = 0;
        DmaResult res = dma(rid, addr, &v, 8, false, ssv, ssid);
        if (r) *r = res;
        return v;
    }
    DmaResult write64(uint16_t rid, uint64_t addr, uint64_t v, bool ssv = false, uint32_t ssid = 0) {
        return dma(rid, addr, &v, 8, true, ssv, ssid);
    }
    SparseMemory& phys() { return mem.backdoor(); }

private:
    void run() {
        if (init_) drv.init();
        body(*this);
        body_done = true;
    }
    bool init_;
};

// Elaborates the bench, runs the simulation to the end, and checks that the
// body finished.
inline bool run_bench(const BenchOptions& o, std::function<void(SmmuBench&)> body) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    SmmuBench b("bench", o, std::move(body));
    sc_core::sc_start();
    return b.body_done;
}

}  // namespace iommusim::test

// libsystemc references sc_main; Boost.Test provides main() and the benches
// elaborate from inside test cases, so this is never called.
int sc_main(int, char**) { return 0; }
