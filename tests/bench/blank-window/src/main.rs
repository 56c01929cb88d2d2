//! A blank Tauri window: the same tauri as Hearth's, a page with one heading
//! (the baseline of `tests/bench/desktop-footprint.mjs`). It prints `shown`
//! once the page has loaded.
fn main() {
    let result = tauri::Builder::default()
        .on_page_load(|_webview, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                println!("shown");
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("blank-window: {e}");
        std::process::exit(1);
    }
}
