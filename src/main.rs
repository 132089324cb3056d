// glibc's allocator spent a third of a 10,000-commitment build in malloc/free under two
// threads (docs/benchmarks.md, "Profile"); mimalloc's thread-local heaps remove most of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(pactgen::cli::main());
}
