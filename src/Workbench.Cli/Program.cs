// The workbench command line: parses arguments and hands each command to its handler.
return Workbench.Cli.Commands.Run(args);
