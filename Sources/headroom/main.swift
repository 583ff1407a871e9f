import HeadroomCLI

await HeadroomCommand.start()
