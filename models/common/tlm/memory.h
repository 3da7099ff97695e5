// Physical memory as a TLM-2.0 target.
//
// Sparse backing store (SparseMemory), a fixed access latency and a
// bandwidth-limited channel modelled as a "busy until" resource, so
// concurrent DMA streams see queueing delay. DMI is offered per 4 KiB page
// with the fixed latency (DMI accesses do not reserve channel bandwidth).
// backdoor() gives host-software helpers and tests untimed access.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "models/common/sparse_memory.h"
#include "models/common/timing.h"

namespace iommusim {

struct MemoryParams {
    uint64_t base = 0;                 // first physical address
    uint64_t size = uint64_t{1} << 48; // bytes
    double latency_ns = 80.0;          // per access
    double bandwidth_gbps = 25.6;      // GB/s of the channel (0 = unlimited)
    bool dmi = true;                   // grant DMI to initiators that ask
};

class Memory : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Memory> in;  // any number of initiators

    Memory(const sc_core::sc_module_name& name, const MemoryParams& p = {});

    SparseMemory& backdoor() { return mem_; }
    const MemoryParams& params() const { return p_; }

    uint64_t reads() const { return reads_; }
    uint64_t writes() const { return writes_; }
    uint64_t bytes_read() const { return bytes_read_; }
    uint64_t bytes_written() const { return bytes_written_; }
    uint64_t errors() const { return errors_; }
    ps_t channel_busy_ps() const { return channel_.busy_ps(); }

private:
    void b_transport(int port, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(int port, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    unsigned int transport_dbg(int port, tlm::tlm_generic_payload& tx);

    MemoryParams p_;
    SparseMemory mem_;
    Timeline channel_;  // the data channel: bandwidth, out-of-order arrivals backfill idle gaps
    ps_t latency_ps_;
    double ps_per_byte_;
    uint64_t reads_ = 0, writes_ = 0, bytes_read_ = 0, bytes_written_ = 0, errors_ = 0;
};

}  // namespace iommusim
