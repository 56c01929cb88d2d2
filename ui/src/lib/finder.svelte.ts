// Whether the search box or a person's page is open, over any screen: the header's
// Find button, the `/` and Ctrl+K keys and a booking's person link all open them here.
class Finder {
  searching = $state(false);
  personId = $state<number | null>(null);

  search(): void {
    if (this.personId === null) this.searching = true;
  }

  open(id: number): void {
    this.searching = false;
    this.personId = id;
  }

  close(): void {
    this.searching = false;
    this.personId = null;
  }
}

export const finder = new Finder();
