fn main() {
    std::process::exit(pactgen::cli::main());
}
