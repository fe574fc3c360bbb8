import ReviewService
import KPIRuntime

await ServiceHost.main(ReviewService.definition)
