//! `hearth`: the command line (see `hearth_server::cli`).
use std::process::ExitCode;

fn main() -> ExitCode {
    match hearth_server::cli::run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hearth: {message}");
            ExitCode::FAILURE
        }
    }
}
