from tlslint.cli import main

raise SystemExit(main())
