// End-to-end suites start real processes; their hooks need more than Jest's 5 s default.
jest.setTimeout(120_000);
