import StatisticsService
import KPIRuntime

await ServiceHost.main(StatisticsService.definition)
