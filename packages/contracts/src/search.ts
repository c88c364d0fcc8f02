// Filled by the knowledge work (issue 6).
export {};
