import IntakeService
import KPIRuntime

await ServiceHost.main(IntakeService.definition)
