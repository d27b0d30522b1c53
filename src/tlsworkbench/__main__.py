from tlsworkbench.cli import main

raise SystemExit(main())
